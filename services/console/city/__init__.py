"""城市视图 (GW-02): a city account's page, its districts' published figures side by side."""
