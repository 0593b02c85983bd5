"""三率 reports: response, resolution and satisfaction rates per unit (peer-systems 1.2, 4.1)."""
