"""Reform 2 — public institutions (事业单位改革).

The programme: classify public institutions, separate management from operation, and buy
public services from providers. In the model (``model/services.py``): the city staffs fewer
service posts (``purchase_share`` of its norm; staff above the target are released a few per
cent a quarter and look for other work) and buys services from providers under contract
instead, spending what the posts would have cost. A yuan of contract delivers
1 + ``efficiency_gain`` times what a yuan of in-house staff and inputs delivers; contracts
deliver without the facilities that in-house services need.
"""

from __future__ import annotations

from model.reforms.base import Reform, ReformLevers
from model.schema import lever


class Levers(ReformLevers):
    purchase_share: float = lever(
        0.3,
        0.0,
        0.6,
        "share of public-service staff",
        "Share of public services bought from providers rather than staffed in-house.",
    )
    efficiency_gain: float = lever(
        0.2,
        0.0,
        0.5,
        "extra services per yuan",
        "How much more service a yuan buys from a provider than in-house.",
    )


class PublicInstitutions(Reform):
    key = "public_institutions"
    title_en = "Public institutions"
    title_zh = "事业单位改革"
    Levers = Levers

    def apply_rules(self, rules, strength: float) -> None:
        rules.purchase_share = self.levers.purchase_share * strength
        rules.service_efficiency *= 1 + self.levers.efficiency_gain * strength
