"""The rules and constraints agents act under, as they stood before the reform programme.

Each quarter :meth:`Rules.baseline` gives the pre-reform rules and the reforms in force
(``model/reforms/``) adjust them. The rules are plain values: the systems read them, reforms
write them, and nothing else does. No rule is an indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.calibration import Params


@dataclass
class Rules:
    # administration (reforms 1, 2)
    layers_merged: float  # administrative layers an application no longer passes
    departments_merged: float  # share of the departments that sign off merged into others
    one_window_share: float  # share of applications signed off together, through one window
    admin_staff_factor: float  # administrative posts relative to the 2010 staffing norm
    staff_by_workload: float  # share of administrative staff one government deploys by workload
    purchase_share: float  # share of public services bought from firms
    service_efficiency: float  # services delivered per yuan bought, relative
    # social security (reform 3)
    rural_pension_yuan: float  # monthly pension of a rural-registered elderly person
    medical_reimbursement: float  # share of rural-registered residents' medical costs insured
    education_support_yuan: float  # per rural-registered child and year, 2010 prices
    housing_support: float  # share of a rural-registered town household's rent paid
    startup_grant_yuan: float  # per new own business, 2010 prices
    hukou_barrier: float
    # social management and land (reforms 4, 9)
    social_staff_factor: float  # social-management posts relative to the 2010 norm
    compensation_yuan_per_mu: float
    compensation_household_share: float
    farmland_transfer_rate: float  # chance per quarter of meeting a tenant for one's plot
    tenure_security: float  # how sure a household is of getting back a plot it rents out
    collective_leasable_share: float
    coop_payout_share: float  # of a shareholding co-op's cash, per quarter
    land_mortgage_ltv: float  # loan / value of rural land rights
    # firms and finance (reforms 5, 7, 8)
    entry_multiplier: np.ndarray  # by sector: incubators
    green_coefficient: float  # weight of energy and pollution in zone officials' assessment
    young_firm_exit_multiplier: float
    collateral_multiplier: float
    above_scale_credit_multiplier: float
    business_credit_share: float  # households that may borrow to start a business
    spillover_elasticity: float  # firms' productivity per rise of the knowledge share
    relocating_success: float
    # outside links (reform 6)
    commute_cost_share: float  # of a Wuhan wage; also what the trip costs visitors
    # equalisation and environment (reforms 5, 10)
    rural_service_share: float  # extra share of service spending counted as rural
    rural_productivity_boost: float  # per year, household farming
    sewage_treatment: float  # share of rural household pollution treated

    @classmethod
    def baseline(cls, params: Params) -> Rules:
        """The rules before any reform, from the calibrated parameters."""
        n_sectors = len(params.sectors.names)
        return cls(
            layers_merged=0.0,
            departments_merged=0.0,
            one_window_share=0.0,
            admin_staff_factor=1.0,
            staff_by_workload=0.0,
            purchase_share=0.0,
            service_efficiency=1.0,
            rural_pension_yuan=float(params.households.rural_pension_yuan),
            medical_reimbursement=float(params.security.medical_reimbursement_2010),
            education_support_yuan=0.0,
            housing_support=0.0,
            startup_grant_yuan=0.0,
            hukou_barrier=float(params.migration.hukou_barrier),
            social_staff_factor=1.0,
            compensation_yuan_per_mu=float(params.land.compensation_yuan_per_mu),
            compensation_household_share=float(params.land.compensation_household_share),
            farmland_transfer_rate=float(params.land.farmland_transfer_rate),
            tenure_security=float(params.land.tenure_security_2010),
            collective_leasable_share=float(params.land.collective_construction_leasable),
            # no shareholding co-ops before the reform: villages pay out at their usual share
            coop_payout_share=float(params.land.village_payout_share),
            land_mortgage_ltv=0.0,
            entry_multiplier=np.ones(n_sectors),
            green_coefficient=0.0,
            young_firm_exit_multiplier=1.0,
            collateral_multiplier=1.0,
            above_scale_credit_multiplier=1.0,
            business_credit_share=0.0,
            spillover_elasticity=0.0,
            relocating_success=float(params.firms.relocating_success),
            commute_cost_share=float(params.labour.commute_cost_share),
            rural_service_share=0.0,
            rural_productivity_boost=0.0,
            sewage_treatment=0.0,
        )
