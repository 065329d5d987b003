"""The Hugo twin of a generated bulletin corpus, for a like-for-like build comparison.

Same items, same text, same taxonomies, comparable templates (see docs/benchmarks.md,
"What equivalent means"). Called by gen.py with `--hugo DIR`; Python stdlib only.

Mapping (bulletin page -> Hugo page):
- item pages `/<kind>/<slug>/` -> regular pages in sections of the same name, same URLs;
- `/articles/`, `/policies/`, ... paginated indexes -> section list pages, `.Paginate` by 30;
- `/tags/<t>/`, `/regions/<r>/`, `/articles/sections/<s>/`, policy facets (level, region, issuer,
  year), `/products/category/<c>/` -> taxonomy term pages, paginated by 30, plus their term lists;
- issue pages with a table of contents by section -> `issues` taxonomy term pages grouped by
  section, with the masthead in the term's `_index.md`;
- "articles that report this policy" -> a `reports` taxonomy read from the policy page (its
  own term pages are not rendered: bulletin has no such pages);
- home, 404, one RSS feed (bulletin: Atom), sitemap.
"""

import json
import shutil
from pathlib import Path

from gen import REPO, write

CONFIG = """baseURL = "https://intranet.example/bulletin/"
languageCode = "zh-CN"
defaultContentLanguage = "zh"
title = "信息摘编资料库（基准测试）"
paginate = 30
rssLimit = 20
disableKinds = ["robotsTXT"]
enableRobotsTXT = false
timeZone = "UTC"

[params]
description = "基准测试用的合成内容"

[taxonomies]
tag = "tags"
region = "regions"
column = "columns"
level = "levels"
issuer = "issuers"
year = "years"
policyregion = "policyregions"
category = "categories"
issue = "issues"
report = "reports"

[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]
page = ["HTML"]

[markup.goldmark.renderer]
unsafe = false

[markup.goldmark.extensions]
table = true
footnote = true
linkify = true
strikethrough = true
"""

BASEOF = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<meta name="description" content="{{ site.Params.description }}">
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
{{ with site.Home.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ .RelPermalink }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header class="masthead">
  <div class="wrap">
    <a class="brand" href="{{ "" | relURL }}">{{ site.Title }}</a>
    <nav aria-label="主导航">
      <ul>
        {{- $cur := .Section }}
        {{- range slice "issues:期刊" "policies:政策" "articles:文章" "rankings:排行榜" "books:图书推荐" "products:金融产品" "tags:标签" "regions:地区" }}
        {{- $p := split . ":" }}
        <li><a href="{{ printf "%s/" (index $p 0) | relURL }}"{{ if eq $cur (index $p 0) }} aria-current="page"{{ end }}>{{ index $p 1 }}</a></li>
        {{- end }}
      </ul>
    </nav>
  </div>
</header>
<main id="main" class="wrap">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
  <div class="wrap">
    <p>{{ site.Title }} · {{ site.Params.description }}</p>
    <p><a href="{{ "index.xml" | relURL }}">订阅（RSS）</a> · <a href="{{ "sitemap.xml" | relURL }}">网站地图</a></p>
  </div>
</footer>
</body>
</html>
"""

CARDS = """<ul class="cards">
{{- range . }}
  <li class="card card-{{ .Section }}">
    <h3 class="card-title"><span class="kind">{{ .Params.kind_zh }}</span><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
    <p class="card-meta">{{ with .Params.byline }}<span>{{ . }}</span>{{ end }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time></p>
    {{- with .Params.excerpt_src }}
    <p class="card-excerpt">{{ . | plainify | truncate 120 }}</p>
    {{- else }}
    <p class="card-excerpt">{{ .Summary | plainify | truncate 120 }}</p>
    {{- end }}
  </li>
{{- end }}
</ul>
"""

PAGER = """{{ $p := . }}
{{ if gt $p.TotalPages 1 }}
<nav class="pager" aria-label="分页">
  {{ with $p.Prev }}<a rel="prev" href="{{ .URL }}">上一页</a>{{ end }}
  {{ range $p.Pagers }}
    {{ if eq .PageNumber $p.PageNumber }}<span aria-current="page">{{ .PageNumber }}</span>{{ else }}<a href="{{ .URL }}">{{ .PageNumber }}</a>{{ end }}
  {{ end }}
  {{ with $p.Next }}<a rel="next" href="{{ .URL }}">下一页</a>{{ end }}
</nav>
{{ end }}
"""

PLACEMENT = """{{ with .Params.issues }}{{ $t := index . 0 }}{{ with site.GetPage (printf "/issues/%s" $t) }}
<p class="placement">刊于 <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with $.Params.section_name }} · {{ . }}{{ end }}</p>
{{ end }}{{ end }}
"""

TERMLINKS = """{{ $page := index . 0 }}{{ range $i, $t := $page.GetTerms (index . 1) }}{{ if $i }}、{{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}"""

TOC = """<div class="toc">
{{ $pages := .Pages }}
{{ range $s := .Params.sections }}
  {{ $in := where $pages "Params.section_name" $s }}
  {{ if $in }}
  <section class="toc-section"><h3>{{ $s }}</h3><ol>
  {{ range $in }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ if ne .Section "articles" }} <span class="kind">{{ .Params.kind_zh }}</span>{{ end }}</li>{{ end }}
  </ol></section>
  {{ end }}
{{ end }}
{{ $rest := where $pages "Params.section_name" "==" nil }}
{{ range $rest.GroupBy "Section" }}
  <section class="toc-section"><h3>{{ .Key }}</h3><ol>
  {{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
  </ol></section>
{{ end }}
</div>
"""

MASTHEAD = """<dl class="issue-masthead">
  <dt>期号</dt><dd>第{{ .Params.number }}期{{ with .Params.total_number }}（总第{{ . }}期）{{ end }}</dd>
  <dt>月份</dt><dd>{{ .Params.month }}</dd>
  {{ with .Params.period }}<dt>信息搜集时间</dt><dd>{{ .from }} 至 {{ .to }}</dd>{{ end }}
  {{ with .Params.publisher }}<dt>编辑单位</dt><dd>{{ . }}</dd>{{ end }}
  {{ with .Params.editors }}<dt>编审</dt><dd>{{ delimit . "、" }}</dd>{{ end }}
</dl>
"""

HOME = """{{ define "main" }}
<h1 class="visually-hidden">{{ site.Title }}</h1>
{{ $issues := (site.GetPage "/issues").Pages.ByParam "month" }}
{{ with index ($issues.Reverse) 0 }}
<section class="latest-issue">
  <h2>最新一期：<a href="{{ .RelPermalink }}">{{ .Params.series }} {{ .Title }}</a></h2>
  {{ partial "masthead.html" . }}
  {{ partial "toc.html" . }}
</section>
{{ end }}
<div class="columns">
  <section><h2><a href="{{ "policies/" | relURL }}">最新政策</a></h2>
  {{ partial "cards.html" (first 10 (where site.RegularPages "Section" "policies")) }}</section>
  <section><h2><a href="{{ "rankings/" | relURL }}">企业排行榜</a></h2>
  {{ partial "cards.html" (first 6 (where site.RegularPages "Section" "rankings")) }}
  <h2><a href="{{ "books/" | relURL }}">图书推荐</a></h2>
  {{ partial "cards.html" (first 6 (where site.RegularPages "Section" "books")) }}</section>
</div>
<section><h2><a href="{{ "issues/" | relURL }}">往期</a></h2>
<ul class="issue-list">{{ range first 6 (after 1 $issues.Reverse) }}<li><a href="{{ .RelPermalink }}">{{ .Params.series }} {{ .Title }}</a> <span class="muted">{{ .Params.month }}</span></li>{{ end }}</ul>
</section>
{{ end }}
"""

LIST = """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
<p class="muted">共 {{ len .Pages }} 条</p>
{{ partial "cards.html" $pager.Pages }}
{{ partial "pager.html" $pager }}
{{ end }}
"""

TERMS = """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="terms-list">
  {{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> <span class="count">{{ .Count }}</span></li>{{ end }}
</ul>
{{ end }}
"""

ISSUE_TERM = """{{ define "main" }}
<article class="issue">
  <header class="issue-head">
    <p class="series-name">{{ .Params.series }}</p>
    <h1>{{ .Title }}</h1>
    {{ partial "masthead.html" . }}
  </header>
  <h2>目录</h2>
  {{ partial "toc.html" . }}
</article>
{{ end }}
"""

SINGLE_HEAD = """{{ define "main" }}
<article class="item">
  <header>
    <h1>{{ .Title }}</h1>
    <p class="item-meta"><span class="source">{{ .Params.byline }}</span> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time>{{ with .Params.columns }} · 栏目：{{ partial "termlinks.html" (slice $ "columns") }}{{ end }}</p>
    {{ partial "placement.html" . }}
  </header>
"""

ARTICLE = (
    SINGLE_HEAD
    + """  <div class="body">{{ .Content }}</div>
  {{ with .Params.source_url }}<p class="original">原文链接：<a href="{{ . }}" rel="noopener noreferrer">{{ . }}</a></p>{{ end }}
  {{ with .Params.reports }}
  <section class="related"><h2>本文报道的政策</h2>
  {{ $ps := slice }}{{ range . }}{{ with site.GetPage (printf "/policies/%s" .) }}{{ $ps = $ps | append . }}{{ end }}{{ end }}
  {{ partial "cards.html" $ps }}</section>
  {{ end }}
  <p class="terms">{{ with .Params.tags }}标签：{{ partial "termlinks.html" (slice $ "tags") }}{{ end }}{{ with .Params.regions }} 地区：{{ partial "termlinks.html" (slice $ "regions") }}{{ end }}</p>
</article>
{{ end }}
"""
)

POLICY = """{{ define "main" }}
<article class="item policy">
  <header>
    <h1>{{ .Title }}</h1>
    <dl class="facts">
      {{ with .Params.doc_number }}<dt>文号</dt><dd>{{ . }}</dd>{{ end }}
      <dt>发文机关</dt><dd>{{ partial "termlinks.html" (slice $ "issuers") }}</dd>
      <dt>日期</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time></dd>
      <dt>层级</dt><dd>{{ partial "termlinks.html" (slice $ "levels") }}{{ with .Params.policyregions }} · {{ partial "termlinks.html" (slice $ "policyregions") }}{{ end }}</dd>
      {{ with .Params.source_url }}<dt>原文</dt><dd><a href="{{ . }}" rel="noopener noreferrer">{{ . }}</a></dd>{{ end }}
    </dl>
    {{ partial "placement.html" . }}
  </header>
  <section class="summary"><h2>摘要</h2>{{ .Params.summary | markdownify }}</section>
  <section class="body"><h2>要点</h2>{{ .Content }}</section>
  {{ with index site.Taxonomies.reports (.File.ContentBaseName | urlize) }}
  <section class="related"><h2>相关报道</h2>{{ partial "cards.html" .Pages }}</section>
  {{ end }}
  {{ with .Params.tags }}<p class="terms">标签：{{ partial "termlinks.html" (slice $ "tags") }}</p>{{ end }}
</article>
{{ end }}
"""

RANKING = (
    SINGLE_HEAD
    + """  <div class="summary">{{ .Content }}</div>
  {{ with .Params.entries }}
  <table class="ranking-table">
    <caption>{{ if $.Params.complete }}完整榜单{{ else }}榜单节选（非完整榜单）{{ end }}</caption>
    <thead><tr><th scope="col">排名</th><th scope="col">名称</th><th scope="col">{{ $.Params.value_label | default "数值" }}</th></tr></thead>
    <tbody>{{ range . }}<tr><td>{{ .rank }}</td><td>{{ .name }}</td><td>{{ .value }}</td></tr>{{ end }}</tbody>
  </table>
  {{ end }}
  {{ if not .Params.complete }}<p class="note">完整榜单见{{ with .Params.source_url }}<a href="{{ . }}" rel="noopener noreferrer">原始来源</a>{{ else }}原始来源（{{ .Params.byline }}）{{ end }}。</p>{{ end }}
</article>
{{ end }}
"""
)

BOOK = (
    SINGLE_HEAD
    + """  <dl class="facts"><dt>著者</dt><dd>{{ delimit .Params.authors "、" }}</dd><dt>出版</dt><dd>{{ .Params.publisher }} {{ .Params.published }}</dd>{{ with .Params.isbn }}<dt>ISBN</dt><dd>{{ . }}</dd>{{ end }}</dl>
  <section><h2>内容简介</h2>{{ .Content }}</section>
  <section><h2>推荐理由</h2>{{ .Params.reason | markdownify }}</section>
</article>
{{ end }}
"""
)

PRODUCT = (
    SINGLE_HEAD
    + """  <dl class="facts"><dt>银行</dt><dd>{{ .Params.bank }}</dd><dt>类别</dt><dd>{{ partial "termlinks.html" (slice $ "categories") }}</dd>{{ with .Params.regions }}<dt>地区</dt><dd>{{ partial "termlinks.html" (slice $ "regions") }}</dd>{{ end }}</dl>
  <div class="summary">{{ .Content }}</div>
  {{ with .Params.source_url }}<p class="original">来源：<a href="{{ . }}" rel="noopener noreferrer">{{ . }}</a></p>{{ end }}
</article>
{{ end }}
"""
)

NOT_FOUND = """{{ define "main" }}<h1>页面不存在</h1><p><a href="{{ "" | relURL }}">返回首页</a></p>{{ end }}
"""

# bulletin rewrites root-relative links in bodies to work under base_url's path; so does this.
RENDER_LINK = """<a href="{{ if strings.HasPrefix .Destination "/" }}{{ strings.TrimPrefix "/" .Destination | relURL }}{{ else }}{{ .Destination | safeURL }}{{ end }}"{{ with .Title }} title="{{ . }}"{{ end }}>{{ .Text | safeHTML }}</a>"""

KIND_ZH = {"articles": "文章", "policies": "政策", "rankings": "排行榜", "books": "图书", "products": "金融产品"}


def parse_fm(lines):
    """The generator's own front matter back into a dict (one `key: value` a line, JSON-ish)."""
    out, key = {}, None
    for line in lines:
        if line.startswith("  - "):
            out.setdefault(key, []).append(line[4:])
            continue
        if line.startswith("  ") and key:
            out[key] += "\n" + line[2:]
            continue
        if line.endswith(":"):
            key = line[:-1]
            out[key] = []
            continue
        key, _, val = line.partition(": ")
        out[key] = val
    return out


def joined(flow_list):
    return json.dumps("、".join(json.loads(flow_list)), ensure_ascii=False)


def hugo_item(kind, it, issue_key):
    fm = parse_fm(it["fm"])
    out = {}
    body = it.get("body", "")
    if kind == "products":
        out["title"] = json.dumps(it["title"], ensure_ascii=False)
    else:
        out["title"] = fm["title"]
    out["date"] = fm["date"]
    out["kind_zh"] = json.dumps(KIND_ZH[kind], ensure_ascii=False)
    if "issue" in fm:
        out["issues"] = json.dumps([issue_key(fm["issue"])])
    if "section" in fm:
        out["section_name"] = fm["section"]
    if "url" in fm:
        # Not `url`: in Hugo that would move the page.
        out["source_url"] = fm["url"]
    if kind == "articles":
        out["byline"] = fm["source"]
        if "section" in fm:
            out["columns"] = "[" + fm["section"] + "]"
        for k in ("tags", "regions"):
            if k in fm:
                out[k] = fm[k]
        if "policies" in fm:
            out["reports"] = fm["policies"]
    elif kind == "policies":
        out["byline"] = joined(fm["issuers"])
        out["summary"] = fm["summary"]
        out["excerpt_src"] = fm["summary"]
        out["issuers"] = fm["issuers"]
        out["levels"] = "[" + fm["level"] + "]"
        out["years"] = json.dumps([fm["date"][:4]])
        for k in ("doc_number", "tags"):
            if k in fm:
                out[k] = fm[k]
        if "region" in fm:
            out["regions"] = "[" + fm["region"] + "]"
            out["policyregions"] = "[" + fm["region"] + "]"
    elif kind == "rankings":
        out["byline"] = fm["publisher"]
        body = fm["summary"][1:].replace("\n  ", "\n").strip()
        for k in ("value_label", "complete"):
            if k in fm:
                out[k] = fm[k]
        if "entries" in fm:
            out["entries"] = fm["entries"]
    elif kind == "books":
        out["byline"] = joined(fm["authors"])
        body = json.loads(fm["summary"])
        for k in ("authors", "publisher", "published", "reason", "isbn"):
            out[k] = fm[k]
        out["published"] = json.dumps(fm["published"])
    elif kind == "products":
        out["byline"] = fm["bank"]
        out["bank"] = fm["bank"]
        body = json.loads(fm["summary"])
        out["categories"] = "[" + fm["category"] + "]"
        if "region" in fm:
            out["regions"] = "[" + fm["region"] + "]"
    lines = ["---"]
    for k, v in out.items():
        if isinstance(v, list):
            lines.append(f"{k}:")
            lines += [f"  - {x}" for x in v]
        else:
            lines.append(f"{k}: {v}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body.strip() + "\n"


def write_hugo(g, root):
    root = Path(root)
    for sub in ("content", "layouts", "static"):
        if (root / sub).exists():
            shutil.rmtree(root / sub)
    write(root / "config.toml", CONFIG)
    (root / "static").mkdir(parents=True)
    shutil.copy(REPO / "templates" / "static" / "style.css", root / "static" / "style.css")
    lay = root / "layouts"
    write(lay / "_default" / "baseof.html", BASEOF)
    write(lay / "_default" / "list.html", LIST)
    write(lay / "_default" / "term.html", LIST)
    write(lay / "_default" / "taxonomy.html", TERMS)
    write(lay / "_default" / "single.html", ARTICLE)
    write(lay / "_default" / "_markup" / "render-link.html", RENDER_LINK)
    write(lay / "index.html", HOME)
    write(lay / "404.html", NOT_FOUND)
    write(lay / "issues" / "term.html", ISSUE_TERM)
    write(lay / "articles" / "single.html", ARTICLE)
    write(lay / "policies" / "single.html", POLICY)
    write(lay / "rankings" / "single.html", RANKING)
    write(lay / "books" / "single.html", BOOK)
    write(lay / "products" / "single.html", PRODUCT)
    for name, text in [
        ("cards", CARDS),
        ("pager", PAGER),
        ("placement", PLACEMENT),
        ("termlinks", TERMLINKS),
        ("toc", TOC),
        ("masthead", MASTHEAD),
    ]:
        write(lay / "partials" / f"{name}.html", text)

    c = root / "content"
    write(c / "_index.md", "---\ntitle: 首页\n---\n")
    titles = {"articles": "文章", "policies": "政策", "rankings": "排行榜", "books": "图书推荐", "products": "金融产品"}
    for kind, t in titles.items():
        write(c / kind / "_index.md", f"---\ntitle: {t}\n---\n")
    tax_titles = {
        "tags": "标签",
        "regions": "地区",
        "columns": "文章栏目",
        "levels": "政策层级",
        "issuers": "发文机关",
        "years": "政策年份",
        "policyregions": "政策地区",
        "categories": "产品类别",
        "issues": "期刊",
    }
    for tax, t in tax_titles.items():
        write(c / tax / "_index.md", f"---\ntitle: {t}\n---\n")
    # bulletin has no page per reported policy: build the taxonomy, render none of its pages.
    write(
        c / "reports" / "_index.md",
        "---\ntitle: 报道\n_build: {render: never, list: never}\ncascade:\n  _build: {render: never, list: never}\n---\n",
    )

    def issue_key(ref):
        return ref.replace("/", "-")

    for iss in g.issues:
        key = issue_key(f"{iss['series']}/{iss['id']}")
        write(c / "issues" / key / "_index.md", "---\n" + iss["yaml"] + "---\n")
    for kind, items in g.items.items():
        for it in items:
            write(c / kind / f"{it['slug']}.md", hugo_item(kind, it, issue_key))
