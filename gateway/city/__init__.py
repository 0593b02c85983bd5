"""The city's view (GW-02): a city groups districts; its accounts read the figures its districts publish.

GW-02 asks for a decision: a municipal parent scope with read-only aggregation, or the hotline as a tenant of its
own with federated dispatch. Decided here: the parent scope, read-only, over figures. A city (code, name) is a row
of the gateway's registry grouping districts (a district in one city at most); a city account is a login of the
city, not of a district, whose token carries no district and the one role ``city_viewer``, so every service refuses
it. Each district's services publish their own figures (counts and rates, never a person's row) through the outbox
on a schedule, and the gateway keeps the latest of each period (``models.CityFigures``). No district's database is
read from outside it; a city sees only its own districts (another's is a 404). A city hotline answering for several
districts stays one login with a membership per district (issue 16); shared catalogues across a city are not built.
"""
