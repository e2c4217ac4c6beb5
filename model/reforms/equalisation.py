"""Reform 10 — urban-rural equalisation (城乡一体化 / 基本公共服务均等化).

The programme: plan town and country together, extend infrastructure and public services to
rural areas. In the model: the city places a larger share of its new service facilities,
service staff and running inputs in villages (``model/services.py``), so villages' services
per resident catch up as the facilities accumulate; rural infrastructure is built every year
by the city; both raise the productivity of household farming; village sewage works treat
part of rural households' pollution.
"""

from __future__ import annotations

from model.accounts import GOVERNMENT
from model.reforms.base import Reform, ReformLevers
from model.schema import lever


class Levers(ReformLevers):
    rural_service_share: float = lever(
        0.08,
        0.0,
        0.4,
        "extra share of service spending",
        "Extra share of new service facilities, staff and running inputs placed in villages.",
    )
    rural_infrastructure_bn_per_year: float = lever(
        0.5,
        0.0,
        3.0,
        "bn yuan per year (2010 prices)",
        "Rural roads, water and power built by the city each year.",
    )
    sewage_share: float = lever(
        0.3, 0.0, 1.0, "share of rural sewage treated", "Village sewage treatment."
    )


class Equalisation(Reform):
    key = "urban_rural_equalisation"
    title_en = "Urban-rural equalisation"
    title_zh = "城乡一体化"
    Levers = Levers

    def apply_rules(self, rules, strength: float) -> None:
        levers = self.levers
        assumed = self.setting.params.reforms
        rules.rural_service_share += levers.rural_service_share * strength
        rules.rural_productivity_boost += strength * (
            assumed.infrastructure_productivity * levers.rural_infrastructure_bn_per_year
            + assumed.service_productivity * levers.rural_service_share / 0.4
        )
        rules.sewage_treatment = max(rules.sewage_treatment, levers.sewage_share * strength)

    def act(self, actions, strength: float) -> dict[str, float]:
        yearly = self.levers.rural_infrastructure_bn_per_year
        amount = yearly * 1e9 / 4 * strength * actions.price_level
        actions.invest(GOVERNMENT, amount)
        return {"rural_infrastructure_yuan": amount}
