"""The district's certificate review rate for its city's view (GW-02): counts only, published on a schedule."""
