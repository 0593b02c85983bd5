"""A member's training history travelling between districts (GW-03): exported when the sending district offers the
member, imported as carried over when the receiving district accepts them."""
