"""The district's Yaoxi roll-up for its city's view (GW-02): counts only, published on a schedule."""
