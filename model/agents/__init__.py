"""The agent types: each a column table (or, for the five zones and the city, its own
attributes), its Mesa view and the rules that write only its own state. Import the module
you need (``model.agents.household``, ...): this package file imports none of them."""
