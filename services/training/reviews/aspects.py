"""The anonymous poll's seven aspects and four grades, as Fuzhou's 测评表 lists them (001/FZ)."""

from __future__ import annotations

ASPECTS = (
    "responsibility",  # 抓党建责任落实
    "village_leadership",  # 抓村级组织班子建设
    "member_ranks",  # 抓党员队伍建设
    "openness_democracy",  # 抓村(居)务公开和民主管理
    "serving_people",  # 开展服务群众工作
    "hard_problems",  # 解决基层党建热点难点问题
    "innovation",  # 推进基层党建创新
)
GRADES = ("good", "fairly_good", "average", "poor")  # 好、较好、一般、差
