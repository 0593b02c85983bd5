"""Chinese words for search: jieba's segmentation with the domain's own words, the same for documents and queries.

PostgreSQL has no Chinese parser; the words jieba finds are joined with spaces and handed to the ``simple``
configuration, which then takes each one as a lexeme. ``cut_for_search`` also yields the shorter words inside a
long one (最美红色细胞 → 红色, 细胞, 红色细胞, 最美红色细胞), so a query for a part of a term finds it too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from functools import cache

import jieba

# The seeds' terms (domain-from-seeds.md, glossary) that jieba's general dictionary would split apart.
_DOMAIN = """
抄告单 红色细胞 红色细胞工程 最美红色细胞 红色细胞督办会 红色细胞志愿队伍 四和院 四和院联系人
掌上四和院 96345 微心愿 点亮微心愿 微心愿墙 网格 网格员 网格长 网格党小组 责任网格
党员考绩 考绩 党员考绩墙 党员考绩月报表 流动党员 流动党员证年审制 失联党员 无职党员 在职党员
自管党员 联户党员 党员中心户 党员信息卡 党员公开承诺书 三会一课 三务公开栏 三张纸 三单制
四议两公开 一征三议两公开 双报到 双百分考核 五星争创 评星定级 星级创评 民情代理员 民情通 楼栋长
联络员 红马甲 红船服务队 红领提事会 红立方 红芍社 阳光驿站 阳光讲坛 微基金 微议事 微讲堂
微走访 微自治 党群服务中心 党员服务中心 党代表工作室 党建指导员 入党积极分子 组织关系接转 派单
督办 限时办结 首问负责制 电话回访 销号 台账 群众档案 两新组织 社区综合党委 街道党工委 冬送温暖
夏送清凉 金秋送学 天天课堂 村改居社区 结对 共建积分
"""
DOMAIN_WORDS = _DOMAIN.split()
LONGEST = 12  # longer tokens (a serial number, a URL) are not searched for words inside

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# OCR (and some PDF text) puts a space between every two characters of Chinese: 党 员 考 绩
_ALL_CJK = re.compile(rf"[{_CJK}]+")
_SPACED_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


@cache
def tokenizer() -> jieba.Tokenizer:
    """jieba's tokenizer with the domain's words, built once per process (loading its dictionary takes ~1 s)."""
    jieba.setLogLevel(logging.WARNING)
    made = jieba.Tokenizer()
    for word in DOMAIN_WORDS:
        made.add_word(word, freq=100_000)
    made.initialize()
    return made


def normalise(text: str) -> str:
    """``text`` without the spaces between Chinese characters that OCR leaves."""
    return _SPACED_CJK.sub("", text)


def _guessed(word: str, known: dict[str, int]) -> bool:
    """A word jieba made up from context (a person's name, mostly): not in its dictionary, all Chinese. The same
    name may be cut otherwise elsewhere (由张强磊 → 由张 强磊), so such words are also indexed and searched for by
    their characters."""
    return len(word) > 1 and not known.get(word) and _ALL_CJK.fullmatch(word) is not None


def _inside(word: str, known: dict[str, int]) -> Iterator[str]:
    """The dictionary's words inside ``word``, then the word: what ``cut_for_search`` does, at every length (it
    stops at three characters, so 最美红色细胞 would not be found by 红色细胞); a guessed word's characters too."""
    if len(word) <= LONGEST:
        if _guessed(word, known):
            yield from word
        for size in range(2, len(word)):
            for start in range(len(word) - size + 1):
                if known.get(word[start : start + size]):
                    yield word[start : start + size]
    yield word


def _cut(text: str) -> Iterator[str]:
    for found in tokenizer().cut(normalise(text)):
        word = found.strip().lower()
        if word and any(ch.isalnum() for ch in word):
            yield word


def words(text: str) -> list[str]:
    """The words of ``text`` for the index, with the shorter words inside each, punctuation and spaces dropped."""
    known = tokenizer().FREQ
    return [inner for word in _cut(text) for inner in _inside(word, known)]


def segmented(parts: Iterable[str | None]) -> str:
    """The words of ``parts`` joined with spaces: what PostgreSQL's ``simple`` configuration reads."""
    return " ".join(word for part in parts if part for word in words(part))


def query_words(query: str) -> list[str]:
    """The distinct words of a query, as the index has them (the shorter ones inside are there too; a guessed
    word by its characters): a document matches when it has every one."""
    known = tokenizer().FREQ
    found: list[str] = []
    for word in _cut(query):
        found.extend(word if _guessed(word, known) and len(word) <= LONGEST else [word])
    return list(dict.fromkeys(found))
