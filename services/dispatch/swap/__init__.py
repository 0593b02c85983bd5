"""The idle-item swap (闲置物品交换, DSP-27 [003]): items registered at the community, the monthly swap day, donations
to households in need."""
