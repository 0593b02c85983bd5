"""The district's hotline figures for its city's view (GW-02): counts and rates only, published on a schedule."""
