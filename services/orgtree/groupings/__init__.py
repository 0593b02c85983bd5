"""Virtual groupings that are neither grids nor branches (ORG-16): courtyards, red-cell clusters, service teams."""
