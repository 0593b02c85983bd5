"""Level schemas per district (ORG-01, ORG-02) and the district settings that go with them."""
