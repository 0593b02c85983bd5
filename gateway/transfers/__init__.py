"""Members moving between districts (GW-03, ORG-17): the offers the gateway holds between the two districts."""
