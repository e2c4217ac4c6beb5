"""Job codes of a household's workers: the values of ``HouseholdTable.job``.

A module of their own, without Mesa or the tables, so that a reform can name a job without
importing the households' agents: the scenario schema lists every reform's levers, and the
app's settings and ``ezhou validate`` read it without building a model.
"""

UNEMPLOYED, FIRM_JOB, OWN_FARM, OWN_BUSINESS, COMMUTE_WUHAN, PUBLIC_JOB, NO_WORKERS = range(7)
JOB_NAMES = ["unemployed", "firm", "own_farm", "own_business", "commute_wuhan", "public", "none"]
