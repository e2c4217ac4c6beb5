"""Reform 6 — inland opening (内陆开放).

The programme: Sanjiang port as the window, bonded logistics, Wuhan-Ezhou integration in
transport, markets and planning, and industry relocating from the coast. In the model:
- the port: the city pays for new berths each year; they add capacity two years later
  (``model/port.py``). Capacity beyond what the ordinary growth of ports gives wins transit
  cargo for the logistics sector, and room for the city's own cargo keeps its freight by
  water rather than road, which outside buyers of its industrial goods answer;
- integration with Wuhan (intercity rail, roads, one fare) cuts the cost and time of a trip:
  commuters keep more of a Wuhan wage and more look for work there, and Wuhan's visitors
  buy more of the city's services and tourism (``markets/labour.py``, ``markets/goods.py``);
- relocating firms that consider the city settle more often (investment promotion).
"""

from __future__ import annotations

from model.reforms.base import Reform, ReformLevers
from model.schema import lever


class Levers(ReformLevers):
    port_investment_bn_yuan: float = lever(
        0.5,
        0.0,
        2.0,
        "bn yuan per year (2010 prices)",
        "Berths, yards and rail links the city builds at Sanjiang port each year.",
    )
    trip_cost_cut: float = lever(
        0.25,
        0.0,
        0.6,
        "share of a trip's cost and time",
        "Same-city transport with Wuhan (intercity rail, roads, one fare): the share of the "
        "cost and time of a trip between the cities it removes.",
    )
    relocation_attraction: float = lever(
        2.0,
        1.0,
        5.0,
        "multiple of the 2010 settling rate",
        "How much more often relocating firms settle in Ezhou.",
    )


class InlandOpening(Reform):
    key = "inland_opening"
    title_en = "Inland opening"
    title_zh = "内陆开放"
    Levers = Levers

    def apply_rules(self, rules, strength: float) -> None:
        levers = self.levers
        rules.commute_cost_share *= 1 - levers.trip_cost_cut * strength
        rules.relocating_success *= 1 + (levers.relocation_attraction - 1) * strength

    def act(self, actions, strength: float) -> dict[str, float]:
        yuan_2010 = self.levers.port_investment_bn_yuan * 1e9 / 4 * strength
        actions.build_port(yuan_2010)
        return {"port_investment_yuan": yuan_2010 * actions.price_level}
