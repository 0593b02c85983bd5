"""Ouhai's four-season service brand (四季服务品牌 [004], DSP-13): a programme per year and season, its activities
and, in summer, the free herbal-tea points (凉茶点), with a report per street."""
