"""Where a Chinese headline may break: between words, not inside them.

Chinese has no spaces, so a line may technically break between any two
characters; in a headline that splits words ("红/色引擎", "服/务中心"). This
module finds word boundaries with a small dictionary of the terms this
exhibition uses (party building, services, places, awards) and common words,
by forward maximum matching, and rates every position between two characters:

* ``GOOD`` after punctuation and at spaces (the best places),
* ``WORD`` between two dictionary words,
* ``LOOSE`` between characters no dictionary word covers,
* ``INSIDE`` inside a dictionary word — only when nothing else fits;
* ``QUOTED`` more inside a quoted term (“…”, 《…》), which stays on one line
  when it can.

Pure Python, no start-up cost worth measuring (the dictionary is a few hundred
words). Staff can always force a break with a line break in the text.
"""

from __future__ import annotations

GOOD = 0
WORD = 8
LOOSE = 30
INSIDE = 400
QUOTED = 150

# One-character words that belong to the word before (红色力量|们, 创新|奖) ...
_SUFFIXES = frozenset("奖县省市镇区村年月日者员性化式型家们等届期次批项条")
# ... or to the word after (第|一, 各|镇).
_PREFIXES = frozenset("第各每首")

# Characters after which a break reads naturally.
_AFTER = frozenset("，。、；：？！）》」』】〕”’,.;:?!)]}…")
# Characters before which a break reads naturally.
_BEFORE = frozenset("（《「『【〔“‘([{")
_OPEN_QUOTES = {"“": "”", "《": "》", "「": "」", "『": "』", "【": "】"}

# Terms of the exhibition and common words (two to eight characters).
_TERMS = """
党建 党群 党员 党组织 党委 党支部 党史 党性 党校 党务 党风 党章 党的 共产党 中国共产党
非公 非公党建 非公企业 非公经济 企业 小微企业 企业党建 企业服务 企业需求 企业发展
服务 服务中心 服务型 服务模式 服务平台 服务窗口 服务体系 服务功能 服务企业 服务大厅
党群服务 党群服务中心 党群服务大厅 党建展示 展示中心 党建展示中心 展示板块 党史展示
教育 培训 教育培训 培训中心 教育培训中心 党员活动 活动中心 党员活动中心 流动党员
流动党员服务中心 人才 人才服务 一个平台 五大中心 项服务 试点 试点先行 先行 红色 引擎
红色引擎 阵地 红色阵地 动力 红色动力 力量 红色力量 红色家园 家园 孵化 孵化中心
陕西 陕西省 宝鸡 宝鸡市 岐山 岐山县 凤鸣 凤鸣镇 蔡家坡 全省 全国 全市 全县 省委 市委 县委
组织 组织部 组织工作 改革 创新 改革创新 创新成果 成果 三等奖 二等奖 一等奖 奖项 荣誉
工作 工作会 现场会 推进会 现场推进会 观摩 观摩点 参观 学习 参观学习 视察 调研 视察调研
提升 提升年 建设 基层 基层党建 基层党组织 组织建设 示范 示范基地 基地 党性教育
发展 历程 发展历程 成效 工作成效 启示 四条启示 引领 党建引领 坚持 打造 推进 推动
区域 区域化 开放 综合 县级 首家 全省首家 平台 中心 模式 菜单 菜单式 一厅式 一站式 保姆式
审批 手续 办理 政策 咨询 党员职工 职工 群众 党员群众 凝聚力 战斗力 生产力 金字招牌
新时代 新时期 时期 革命 建设时期 改革开放 现代化 社会主义 新民主主义 中国特色
十三五 开局 开局之年 以来 年度 资料 示例 条目 示例条目 内容 整理 整理中
一个 五个 四个 两个 第一 首个 我们 他们 如何 怎样 什么 需要 加什么 就加 企业需要
连心桥 连心 讲解 路线 讲解路线 参观团 省级 代表团 故事 开场 简介 掠影 中心掠影
数字 报道 媒体 新华网 陕西日报 当代陕西 企业党建 展板 专题 专题展板 七一 生日
"""

DICTIONARY = frozenset(_TERMS.split())
_LONGEST = max(len(word) for word in DICTIONARY)


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF


def segment(text: str, extra: frozenset[str] = frozenset()) -> list[str]:
    """Split ``text`` into words by forward maximum matching; characters no word
    covers stand alone, and runs of non-Chinese characters stay whole."""
    words = DICTIONARY | extra if extra else DICTIONARY
    longest = max(_LONGEST, max((len(w) for w in extra), default=0))
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if not _is_han(ch):
            j = i + 1
            while j < len(text) and not _is_han(text[j]):
                j += 1
            out.append(text[i:j])
            i = j
            continue
        for size in range(min(longest, len(text) - i), 1, -1):
            if text[i:i + size] in words:
                out.append(text[i:i + size])
                i += size
                break
        else:
            out.append(ch)
            i += 1
    return out


def break_costs(text: str, extra: frozenset[str] = frozenset()) -> list[int]:
    """``costs[i]``: how bad a line break before ``text[i]`` is (index 0 is unused)."""
    costs = [LOOSE] * (len(text) + 1)
    inside = [False] * (len(text) + 1)
    quoted = [False] * (len(text) + 1)
    pos = 0
    for word in segment(text, extra):
        if len(word) > 1 and _is_han(word[0]):
            for k in range(pos + 1, pos + len(word)):
                inside[k] = True
        if len(word) == 1 and word in _SUFFIXES and pos > 0:
            costs[pos] = LOOSE
        pos += len(word)
        if pos < len(text):
            costs[pos] = LOOSE if len(word) == 1 and word in _PREFIXES else WORD
    # quoted terms (“红色引擎”, 《…》) stay together when they can
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in _OPEN_QUOTES:
            stack.append((_OPEN_QUOTES[ch], i))
        elif stack and ch == stack[-1][0]:
            _close, start = stack.pop()
            for k in range(start + 2, i):
                quoted[k] = True
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if inside[i] or quoted[i]:
            costs[i] = (INSIDE if inside[i] else costs[i]) + (QUOTED if quoted[i] else 0)
        elif before.isspace() or after.isspace() or before in _AFTER or after in _BEFORE:
            costs[i] = GOOD
        elif not _is_han(before) and not _is_han(after):
            costs[i] = WORD  # within Latin text the line breaker keeps words whole anyway
    return costs
