"""红旗社区建设 (``/console/redflag``): staffing against the district's quotas (``staffing.py``), venues and
service points with their certification (``venues.py``), the brands of streets and communities (``brands.py``)."""

from __future__ import annotations

from litestar import Controller

from services.console.redflag import brands, staffing, venues
from services.console.web import NavEntry

CONTROLLERS: list[type[Controller]] = [
    staffing.StaffingController,
    venues.VenuesController,
    brands.BrandsController,
]
NAV: list[NavEntry] = [staffing.NAV, venues.NAV, brands.NAV]
