"""Members moving between districts (GW-03, ORG-17): the outgoing offer and the member's arrival, each district in
its own rows; the gateway carries the handshake between them."""
