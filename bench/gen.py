#!/usr/bin/env python3
"""Synthetic content for the build benchmark.

    bench/gen.py --pages N [--seed S] [--hugo HUGO_DIR] OUT_ROOT

writes OUT_ROOT as a complete bulletin root: `content/` following docs/content-guide.md and a
copy of the repo's `templates/`. With `--hugo`, it also writes HUGO_DIR: a Hugo site holding the
same items (docs/benchmarks.md, "What 'equivalent' means for Hugo", says what "equivalent" means).

Why Python and not Rust: the generator is a dev tool, not part of the product. Python 3's stdlib
is on every machine here, needs no build step and no new crate in Cargo.lock, and another helper
(or CI) can run it straight from a checkout. Its speed does not matter: 10,000 pages take a few seconds.

"N pages" means roughly N HTML pages in `bulletin build`'s output: item pages plus the listing
pages they produce (indexes, facets, tags, regions, issues, pagination at 30 a page). The item
count is N times a ratio measured on this generator's own output; run.sh reports the real count.

Everything is drawn from `random.Random(seed)`: the same arguments give byte-identical files.
Text (titles, sentences, policy names, outlets) is sampled from the source bulletins in
tests/fixtures/bulletins/, cleaned of ASCII markup characters so that sampled text never forms
Markdown links, HTML or YAML syntax by accident.
"""

import argparse
import json
import random
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BULLETINS = REPO / "tests" / "fixtures" / "bulletins"

# Pages per item and fixed pages: each item has its page plus a share of the listing pages it
# shows in (~4-6 paginated listings of 30); the term pages (tags, regions, facets) are a roughly
# fixed set. Fitted on this generator's output (769 items -> 1,010 pages, 7,700 -> 9,169), so
# N=1,000 and N=10,000 land within a few percent of N.
PAGES_PER_ITEM = 1.177
FIXED_PAGES = 105

# Shares of each kind among the items, roughly as in the real bulletins.
KIND_SHARES = [
    ("articles", 0.50),
    ("policies", 0.25),
    ("products", 0.12),
    ("rankings", 0.07),
    ("books", 0.06),
]

SERIES = [
    (
        "xinxi-zhaibian",
        "信息摘编",
        "天津港保税区文教局（图书馆、地方志编修办公室）",
        ["热点关注", "行业动向", "国际视野", "国内动态", "自贸专题", "国研专稿", "企业排行榜", "图书推荐"],
    ),
    (
        "jinrong-zhiyin",
        "中小企业金融产品与业务创新指引",
        "北京世经未来投资咨询有限公司",
        [
            "中小企业综合业务创新",
            "中小企业中间业务创新",
            "中小企业金融相关动态跟踪研究",
            "中小企业其他业务创新",
            "各地扶助中小企业创新创业政策汇总",
        ],
    ),
    ("chanye-baodao", "产业报道", "产业报道编辑部", ["头版", "要闻", "产业新闻", "地方动态"]),
]

TAGS = (
    "专精特新 中小企业 小巨人 融资 普惠金融 数字经济 人工智能 新能源汽车 氢能 新材料 "
    "外贸 跨境电商 自贸区 产业链 供应链金融 科技创新 绿色金融 碳市场 知识产权 数据资产 "
    "营商环境 制造业 工业互联网 独角兽 专利 人才 信用贷款 担保 保险 债券 上市 "
    "高新区 园区 对外投资 消费 物流 港口 航运 生物医药 集成电路 公式 公示 政策解读"
).split()

REGIONS = (
    "全国 北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 "
    "湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 内蒙古 广西 西藏 宁夏 新疆 深圳 厦门 "
    "青岛 宁波 大连 滨海新区"
).split()

ISSUERS = (
    "国务院 国务院办公厅 工业和信息化部 财政部 中国人民银行 国家金融监督管理总局 中国证监会 "
    "国家发展改革委 商务部 科技部 国家市场监督管理总局 国家知识产权局 人力资源社会保障部 "
    "海关总署 国家税务总局 生态环境部 交通运输部 天津市人民政府 上海市人民政府 广东省人民政府 "
    "浙江省经济和信息化厅 江苏省工业和信息化厅 北京市经济和信息化局"
).split()

LEVELS = ["国家", "省级", "市级", "区县"]
CATEGORIES = ["信贷业务", "中间业务", "金融科技", "其他业务"]
BANKS = (
    "工商银行 农业银行 中国银行 建设银行 交通银行 邮储银行 招商银行 兴业银行 浦发银行 中信银行 "
    "民生银行 光大银行 华夏银行 平安银行 广发银行 浙商银行 北京银行 上海银行 江苏银行 宁波银行"
).split()
PUBLISHERS = "中信出版社 机械工业出版社 人民出版社 商务印书馆 中国经济出版社 电子工业出版社".split()
SURNAMES = "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗".split()
GIVEN = "伟 芳 娜 敏 静 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚".split()

# ASCII characters that could start Markdown, HTML or YAML syntax in sampled text.
UNSAFE = re.compile(r"[<>\[\]()*_#`|{}~!&\\\"'$^=+@]")


def clean(s):
    s = UNSAFE.sub("", s)
    s = re.sub(r"\s+", "", s)
    # A paragraph must not begin with what Markdown reads as a list marker or a heading.
    return s.lstrip("-.0123456789:;,/%")


def corpus():
    """Sentences, title-like lines, policy names and outlets from the source bulletins."""
    sentences, titles, policies = [], [], []
    for path in sorted(BULLETINS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        policies += re.findall(r"《([^《》\n]{8,40}(?:通知|意见|办法|措施|方案|规定|规划|决定))》", text)
        for line in text.splitlines():
            line = clean(line.strip())
            if 8 <= len(line) <= 30 and not line.startswith("附") and not line.endswith(("。", "，", "；", "：")):
                titles.append(line)
            for s in re.findall(r"[^。！？]{12,160}[。！？]", line):
                s = clean(s)
                if len(s) >= 12 and re.search(r"[\u4e00-\u9fff]", s):
                    sentences.append(s)
    policies = [clean(p) for p in policies if clean(p)]
    # Duplicates would only make the sample less varied; keep first occurrences, in order.
    dedup = lambda xs: list(dict.fromkeys(xs))
    return dedup(sentences), dedup(titles), dedup(policies)


def q(s):
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def ylist(xs):
    return "[" + ", ".join(q(x) for x in xs) + "]"


class Gen:
    def __init__(self, pages, seed):
        self.r = random.Random(seed)
        self.sentences, self.titles, self.policy_names = corpus()
        self.n_items = max(len(KIND_SHARES) * 2, round((pages - FIXED_PAGES) / PAGES_PER_ITEM))
        counts = {k: max(2, round(self.n_items * share)) for k, share in KIND_SHARES}
        self.counts = counts
        self.issues = self.make_issues(max(3, self.n_items // 60))
        self.items = {k: [] for k, _ in KIND_SHARES}
        # Policies first: articles link to them.
        makers = [
            ("policies", self.make_policy),
            ("articles", self.make_article),
            ("products", self.make_product),
            ("rankings", self.make_ranking),
            ("books", self.make_book),
        ]
        for kind, make in makers:
            for i in range(counts[kind]):
                self.items[kind].append(make(i))

    # -- sampling ---------------------------------------------------------------------------

    def para(self, lo=2, hi=5):
        return "".join(self.r.choice(self.sentences) for _ in range(self.r.randint(lo, hi)))

    def body(self, lo, hi):
        return "\n\n".join(self.para() for _ in range(self.r.randint(lo, hi)))

    def title(self):
        return self.r.choice(self.titles)

    def person(self):
        return self.r.choice(SURNAMES) + "".join(self.r.choice(GIVEN) for _ in range(self.r.randint(1, 2)))

    def url(self, kind, i):
        return f"https://www.example.com/{kind}/{i}.html"

    def pick_issue(self, kinds_series=None):
        """An issue (90% of items have one) and a date in its month."""
        if self.r.random() < 0.1:
            y, m = self.r.randint(2021, 2025), self.r.randint(1, 12)
            return None, f"{y:04d}-{m:02d}-{self.r.randint(1, 28):02d}"
        pool = self.issues if kinds_series is None else [x for x in self.issues if x["series"] in kinds_series]
        iss = self.r.choice(pool)
        return iss, f"{iss['month']}-{self.r.randint(1, 28):02d}"

    # -- issues -------------------------------------------------------------------------------

    def make_issues(self, n):
        issues = []
        for k in range(n):
            slug, name, publisher, sections = SERIES[k % len(SERIES)]
            idx = k // len(SERIES)
            y, m = 2021 + idx // 12, idx % 12 + 1
            month = f"{y:04d}-{m:02d}"
            issues.append(
                {
                    "series": slug,
                    "id": month,
                    "month": month,
                    "number": idx + 1,
                    "yaml": "\n".join(
                        [
                            f"series: {q(name)}",
                            f"title: {q(f'《{name}》{y}年第{m}期')}",
                            f"month: {month}",
                            f"number: {idx + 1}",
                            f"total_number: {idx + 30}",
                            f"period: {{from: {month}-01, to: {month}-28}}",
                            f"publisher: {q(publisher)}",
                            f"editors: {ylist([self.person() for _ in range(3)])}",
                            f"sections: {ylist(sections)}",
                        ]
                    )
                    + "\n",
                    "sections": sections,
                    "name": name,
                    "title": f"《{name}》{y}年第{m}期",
                }
            )
        return issues

    # -- items --------------------------------------------------------------------------------

    def common(self, iss, kind_sections=True):
        lines = []
        if iss is not None:
            lines.append(f"issue: {iss['series']}/{iss['id']}")
            if kind_sections and self.r.random() < 0.85:
                lines.append(f"section: {q(self.r.choice(iss['sections']))}")
        return lines

    def make_policy(self, i):
        iss, date = self.pick_issue()
        slug = f"{date}-policy-{i:06d}"
        title = self.r.choice(self.policy_names)
        level = self.r.choice(LEVELS)
        fm = [
            f"title: {q(title)}",
            f"date: {date}",
            f"issuers: {ylist(self.r.sample(ISSUERS, self.r.randint(1, 3)))}",
            f"level: {level}",
            f"summary: {q(self.para(1, 2))}",
        ]
        if level != "国家" or self.r.random() < 0.3:
            fm.append(f"region: {q(self.r.choice(REGIONS[1:]))}")
        if self.r.random() < 0.7:
            fm.append(f"doc_number: {q(f'工信部联企业函〔{date[:4]}〕{i % 900 + 1}号')}")
        if self.r.random() < 0.8:
            fm.append(f"url: {self.url('policies', i)}")
        fm += self.common(iss)
        tags = self.r.sample(TAGS, self.r.randint(0, 3))
        if tags:
            fm.append(f"tags: {ylist(tags)}")
        points = "\n".join(f"{n}. {self.r.choice(self.sentences)}" for n in range(1, self.r.randint(3, 7)))
        body = self.body(1, 3) + "\n\n## 主要内容\n\n" + points + "\n"
        return {"slug": slug, "dir": date[:7], "title": title, "fm": fm, "body": body, "ext": "md"}

    def make_article(self, i):
        iss, date = self.pick_issue()
        slug = f"{date}-article-{i:06d}"
        title = self.title()
        fm = [f"title: {q(title)}", f"date: {date}", f"source: {q(self.r.choice(['新京报', '人民日报', '经济日报', '中国证券报', '21世纪经济报道', '第一财经', '科技日报', '中国高新技术产业导报']))}"]
        if self.r.random() < 0.8:
            fm.append(f"url: {self.url('articles', i)}")
        fm += self.common(iss)
        tags = self.r.sample(TAGS, self.r.randint(0, 4))
        if tags:
            fm.append(f"tags: {ylist(tags)}")
        regions = self.r.sample(REGIONS, self.r.randint(0, 2))
        if regions:
            fm.append(f"regions: {ylist(regions)}")
        body = self.body(3, 8)
        pols = self.items["policies"]
        if pols and self.r.random() < 0.4:
            linked = self.r.sample(pols, self.r.randint(1, min(2, len(pols))))
            fm.append(f"policies: {ylist([p['slug'] for p in linked])}")
            body += "\n\n附：" + "、".join(f"[《{p['title']}》](/policies/{p['slug']}/)" for p in linked)
        return {"slug": slug, "dir": date[:7], "title": title, "fm": fm, "body": body + "\n", "ext": "md"}

    def make_ranking(self, i):
        iss, date = self.pick_issue()
        slug = f"{date}-ranking-{i:06d}"
        title = f"{date[:4]}年{self.title()}排行榜"
        fm = [
            f"title: {q(title)}",
            f"date: {date}",
            f"publisher: {q(self.r.choice(['长城战略咨询', '胡润研究院', '赛迪顾问', '中国企业联合会']))}",
            "summary: |\n  " + self.para(1, 3) + "\n\n  " + self.para(1, 2),
        ]
        if self.r.random() < 0.8:
            fm.append(f"url: {self.url('rankings', i)}")
        fm += self.common(iss)
        n = self.r.choice([0, 0, 5, 10, 20, 50])
        if n:
            fm.append(f"value_label: {q('估值（亿元）')}")
            fm.append(f"complete: {'true' if self.r.random() < 0.3 else 'false'}")
            fm.append("entries:")
            for rank in range(1, n + 1):
                name = self.r.choice(REGIONS[1:]) + self.r.choice(TAGS) + "有限公司"
                fm.append(f"  - {{rank: {rank}, name: {q(name)}, value: {self.r.randint(10, 3000)}}}")
        return {"slug": slug, "dir": date[:7], "title": title, "fm": fm, "ext": "yaml"}

    def make_book(self, i):
        iss, date = self.pick_issue(["xinxi-zhaibian"])
        slug = f"book-{i:06d}"
        title = self.title()
        fm = [
            f"title: {q(title)}",
            f"authors: {ylist([self.person() for _ in range(self.r.randint(1, 3))])}",
            f"publisher: {q(self.r.choice(PUBLISHERS))}",
            f"published: {date[:7]}",
            f"summary: {q(self.para(2, 4))}",
            f"reason: {q(self.para(1, 3))}",
            f"date: {date}",
            f"isbn: 978-7-{i % 10000:04d}-{i % 1000:03d}{i % 10}-{i % 7}",
        ]
        if iss is not None:
            fm.append(f"issue: {iss['series']}/{iss['id']}")
        return {"slug": slug, "dir": date[:7], "title": title, "fm": fm, "ext": "yaml"}

    def make_product(self, i):
        iss, date = self.pick_issue(["jinrong-zhiyin"])
        slug = f"{date}-product-{i:06d}"
        bank = self.r.choice(BANKS)
        name = self.title()[:12] + self.r.choice(["贷", "通", "宝", "e融", "快贷"])
        fm = [
            f"bank: {q(bank)}",
            f"name: {q(name)}",
            f"date: {date}",
            f"category: {self.r.choice(CATEGORIES)}",
            f"summary: {q(self.para(1, 3))}",
        ]
        if self.r.random() < 0.6:
            fm.append(f"region: {q(self.r.choice(REGIONS[1:]))}")
        if iss is not None:
            fm.append(f"issue: {iss['series']}/{iss['id']}")
        if self.r.random() < 0.5:
            fm.append(f"url: {self.url('products', i)}")
        return {"slug": slug, "dir": date[:7], "title": f"{bank}：{name}", "fm": fm, "ext": "yaml"}


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_bulletin(g, root, templates):
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    write(
        content / "site.yaml",
        "title: 信息摘编资料库（基准测试）\nbase_url: https://intranet.example/bulletin/\n"
        "language: zh-CN\ndescription: 基准测试用的合成内容\n",
    )
    for iss in g.issues:
        write(content / "issues" / iss["series"] / f"{iss['id']}.yaml", iss["yaml"])
    for kind, items in g.items.items():
        for it in items:
            path = content / kind / it["dir"] / f"{it['slug']}.{it['ext']}"
            if it["ext"] == "md":
                write(path, "---\n" + "\n".join(it["fm"]) + "\n---\n\n" + it["body"])
            else:
                write(path, "\n".join(it["fm"]) + "\n")
    dest = root / "templates"
    if dest.resolve() != templates.resolve():
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(templates, dest)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, required=True, help="roughly how many HTML pages the build gives")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--templates", type=Path, default=REPO / "templates", help="copied into OUT_ROOT")
    ap.add_argument("--hugo", type=Path, help="also write an equivalent Hugo site here")
    ap.add_argument("out_root", type=Path)
    a = ap.parse_args(argv)
    if a.pages < 150:
        ap.error("--pages must be at least 150")
    g = Gen(a.pages, a.seed)
    write_bulletin(g, a.out_root, a.templates)
    if a.hugo:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import hugo_site

        hugo_site.write_hugo(g, a.hugo)
    total = sum(len(v) for v in g.items.values())
    counts = ", ".join(f"{len(v)} {k}" for k, v in g.items.items())
    print(f"{a.out_root}: {total} items ({counts}), {len(g.issues)} issues", file=sys.stderr)


if __name__ == "__main__":
    main()
