"""Markdown for a GitHub or GitLab pull-request comment.

Verdict and one compact table first (model, vendor, country, level, the reason that sets the
level); then one collapsible block per model with each finding and its match explanation
once; then project findings, exceptions, and a footer with list coverage, versions, sources
and warnings.

The comment has a budget in characters (:data:`DEFAULT_BUDGET`, below GitHub's 65,536-character
limit for a comment). When the whole report does not fit, the least severe models are folded:
first their blocks, then their table rows, which become counts by level with a pointer to the
full JSON or PDF report. Models at higher levels are the last to go.

Every name coming from a list or a manifest is escaped, so a listed name can never break the
table or inject HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from riskcheck.formats import facts
from riskcheck.formats.interface import ReportFormat
from riskcheck.model import Finding, Level, Match, ModelAssessment, Report
from riskcheck.terminal import terminal_safe

LEVEL_BADGES: dict[Level, str] = {
    Level.CRITICAL: "🟥 CRITICAL",
    Level.HIGH: "🟧 HIGH",
    Level.MEDIUM: "🟨 MEDIUM",
    Level.LOW: "🟦 LOW",
    Level.NONE: "🟩 NONE",
}

DEFAULT_BUDGET = 60_000
"""Characters a comment may take: GitHub refuses comments over 65,536 characters; the rest
leaves room for what a CI job adds (a link to the run's artifacts)."""

MIN_BUDGET = 2_000
"""The smallest budget accepted: the verdict, the counts and the pointer to the full report."""

GITHUB_COMMENT_LIMIT = 65_536

_REASON_CHARS = 100
"""A table cell's reason is cut here (the model's block carries it whole)."""
_DETAIL_CHARS = 200
"""A finding's detail line is cut here (the full report keeps it whole)."""
_VALUE_CHARS = 300
"""Any other single value (a name, a path, a warning) is cut here: one hostile value cannot
take the whole budget."""
_LABEL_CHARS = 60
"""A footer source's label is cut here (its address is whole)."""
_CONTEXT_CHARS = 160
"""A finding's other detail lines (what applies, what to do) are cut here."""
_LISTED_ITEMS = 25
"""Undeclared models and warnings shown before the rest are counted."""

_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                           "|": "&#124;", "`": "&#96;", "[": "&#91;", "]": "&#93;",
                           "*": "&#42;", "_": "&#95;", "~": "&#126;", "\\": "&#92;",
                           "!": "&#33;", "#": "&#35;",
                           # A mention pings people; a zero-width space keeps it text.
                           "@": "@\u200b"})
_WWW = "www" + "\u200b" + "."
_INTRAWORD_UNDERSCORE = re.compile(r"(?<=[^\W_])&#95;(?=[^\W_])")

# Kinds that name a listing, before kinds that name a country, when two findings share the
# highest level: the reason shown is the one a reader must act on first.
_KIND_RANK = {kind: rank for rank, kind in enumerate((
    "list-match", "parent-list-match", "serving-list-match", "upstream-list-match",
    "ownership-rule", "denied-vendor", "vendor-override", "jurisdiction", "data-location",
    "unresolved", "formerly-listed", "concentration", "undeclared-model"))}


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, at a space when there is one in
    the last fifth (cut before escaping, so a character reference is never split)."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 4 // 5:
        cut = cut[:space]
    return cut.rstrip() + "…"


def esc(text: object, limit: int | None = None) -> str:
    """Escape text for a table cell, a list item or an HTML block alike.

    Character references work in all three places (a backslash escape would show literally
    inside ``<summary>``), so table pipes, HTML, links, images, headings and emphasis in names
    stay inert. Every control character goes and every kind of line break becomes a space
    (the value stays on its line), ``@`` mentions and bare web addresses are broken with a
    zero-width space so GitHub neither pings nor links them. Quotes and apostrophes stay as
    they are: no value is ever written inside an HTML attribute. ``limit`` cuts the value
    first (with an ellipsis).
    """
    flat = terminal_safe(str(text), one_line=True).replace("\u0085", " ")
    if limit is not None:
        flat = _cut(flat, limit)
    # One pass: the references it writes are never escaped again. An underscore between two
    # letters or digits can neither open nor close emphasis (CommonMark's flanking rules), so
    # ``eu_fsf`` stays readable in the text.
    escaped = _INTRAWORD_UNDERSCORE.sub("_", flat.translate(_ENTITIES))
    return (escaped.replace("://", ":\u200b//").replace("www.", _WWW)
            .replace("WWW.", "WWW\u200b."))


def code(text: object, limit: int | None = None) -> str:
    """A value shown as code that no content can end early: an escaped ``<code>`` element.

    A Markdown code span is closed by a matching run of backticks inside the value; an HTML
    element with every character escaped has no such way out, and works in table cells too.
    """
    return f"<code>{esc(text, limit)}</code>"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def headline(assessment: ModelAssessment) -> Finding | None:
    """The finding that sets the model's level: the highest, a listing before a country at
    the same level, then the higher score."""
    if not assessment.findings:
        return None
    return max(assessment.findings,
               key=lambda f: (int(f.level), -_KIND_RANK.get(f.kind, len(_KIND_RANK)), f.score))


def _severity_order(report: Report) -> list[ModelAssessment]:
    """Models most severe first; the manifest's order among equals."""
    return sorted(report.models, key=lambda a: -int(a.level))


def _explanation_details(match: Match) -> set[str]:
    """The scorer's own lines restating ``match``'s explanation (shown once, structured)."""
    exp = match.explanation
    lines = {f"qualifier: {q}" for q in exp.qualifiers}
    if exp.alignment:
        lines.add(f"alignment: {exp.alignment}")
    return lines


def _restates_match(line: str, match: Match, restated: set[str]) -> bool:
    exp = match.explanation
    # The match line names the record and every other record of the same listing, and cites
    # the record's own source: a scorer's ``list record:`` line adds nothing to it.
    return (line in restated
            or line.startswith(f"matched {exp.query_name!r} to {exp.matched_name!r}")
            or line.startswith("list record: "))


def _match_key(match: Match) -> tuple[str, ...]:
    return (match.party_id, match.entity.source, match.entity.source_id, match.band,
            match.status)


def _finding_key(finding: Finding) -> tuple[str, ...]:
    match = finding.match
    return (finding.kind, finding.summary, *(_match_key(match) if match else ()))


def _is_arithmetic(line: str) -> bool:
    """A line of the scorer's arithmetic (``base score 80: ...``, ``x 0.85: ...``,
    ``= score 68 -> medium``)."""
    if line.startswith(("base score ", "= score ")):
        return True
    head, sep, _ = line.partition(": ")
    return bool(sep) and head.startswith("x ") and _is_number(head[2:])


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _factors(lines: Sequence[str]) -> list[str]:
    """The factors other than 1 of the scorer's arithmetic: ``× 0.85 (self-hosted ...)``
    (the reason's head only; its gloss is in the full report)."""
    return facts.score_factors(list(lines))


def _score_line(lines: Sequence[str], summary: str = "") -> str:
    """The scorer's arithmetic on one line, or nothing when no factor changes the score (the
    list's or the country's own level then stands, as its source says). Factors of exactly 1
    are left out; the full report keeps every line."""
    factors = _factors(lines)
    if not factors:
        return ""
    parts: list[str] = []
    for line in lines:
        if line.startswith("base score "):
            value, _, why = line.removeprefix("base score ").partition(": ")
            why = why.replace(" (lists/severity.yaml)", "")
            # The reason is left out when the finding's summary already says it.
            parts.append(f"score {value}" + ("" if why in summary else f" ({why})"))
        elif line.startswith("= score "):
            parts.append("= " + line.removeprefix("= score ").replace(" -> ", " → ", 1))
    return " ".join(parts[:1] + factors + parts[1:])


def _reference(line: str, label: str | None = None) -> str:
    """A footer source: a short label linked to its web address (``[EU: EU consolidated
    financial sanctions list](https://...)``). The label is the line's words up to its first
    gloss (`` — ``) or second colon, cut to :data:`_LABEL_CHARS`; only an ``http(s)`` address
    becomes a link, with the characters that could end a Markdown link encoded."""
    start = min(i for i in (line.find("https://"), line.find("http://")) if i >= 0)
    address, _, rest = line[start:].partition(" ")
    if label is None:
        words = (line[:start] + rest).strip().rstrip(",").strip()
        label = words.split(" \u2014 ", 1)[0]
        head, colon, tail = label.partition(": ")
        if colon and len(head) <= 8:  # a list code or "rule": the words after it, to a colon
            label = tail.split(": ", 1)[0]
        elif colon:
            label = head
        # A trailing parenthesis (the list's level, a threshold) is the finding's business.
        if label.endswith(")") and " (" in label:
            label = label[:label.rindex(" (")]
    return f"[{esc(label or 'source', _LABEL_CHARS)}]({_link_target(address)})"


def _address(line: str) -> str:
    """The web address a reference line cites."""
    start = min(i for i in (line.find("https://"), line.find("http://")) if i >= 0)
    return line[start:].split(" ", 1)[0]


def _link_target(address: str) -> str:
    """A web address as a Markdown link target that no character can end early."""
    return "".join(f"%{ord(c):02X}" if c in "()<>[]\\ \"'`" or ord(c) < 33 else c
                   for c in _cut(address, 400))


def _counts(report: Report) -> str:
    """``4 models: 3 medium, 1 none`` (levels with no model left out); unresolved models are
    always counted, even at 0."""
    counts = facts.level_counts(report)
    total = len(report.models)
    parts = [f"{counts[level.label]} {level.label}" for level in facts.LEVELS_DESCENDING
             if counts[level.label]]
    return (f"{total} model{'s' if total != 1 else ''}: " + ", ".join(parts)
            + f"; {facts.unresolved_count(report)} unresolved")


def _is_reference(line: str) -> bool:
    """A detail line that cites a rule or a list (it carries a web address): printed once in
    the footer's sources and referred to by number."""
    return "https://" in line or "http://" in line


def _names_said(line: str, said: Sequence[str]) -> bool:
    """True when ``line`` quotes names (“...”) and each is already written in ``said`` (the
    block so far): a line naming the owners a summary above named adds nothing."""
    names = re.findall("\u201c(.+?)\u201d", line)
    return bool(names) and all(any(esc(name) in text for text in said) for name in names)


def _is_gloss(line: str, sources: "_Sources") -> bool:
    """A detail restating what a list means (``EU: Asset freeze: ...``) when that list is
    already among the numbered sources: its footer entry links the list, and the finding's
    summary names the effect."""
    head, colon, _ = line.partition(": ")
    return bool(colon) and head.isupper() and " " not in head and any(
        numbered.startswith(f"{head}: ") for numbered in sources.numbers)


class _Sources:
    """What the comment has already said: reference lines numbered in order of first use
    (each printed once in the footer), and the model under which each list match and each
    finding was first explained (later models refer to it instead of repeating it)."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.labels: dict[str, str] = {}
        self.matches: dict[tuple[str, ...], str] = {}
        self.findings: dict[tuple[str, ...], str] = {}
        self.factors: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.said: list[str] = []
        """The summaries and match lines written so far in the current model's block."""

    def number(self, line: str, label: str | None = None) -> int:
        """The footer number of a reference line; two lines citing the same web address share
        one number (the first line's label). ``label`` replaces the one made from the line."""
        address = _address(line)
        for known, number in self.numbers.items():
            if _address(known) == address:
                return number
        if label is not None:
            self.labels[line] = label
        return self.numbers.setdefault(line, len(self.numbers) + 1)


class MarkdownFormat(ReportFormat):
    """``--format markdown``: a pull-request comment that fits in ``budget`` characters.

    ``artifacts`` names the full reports written in the same run (``riskcheck.json``,
    ``report.pdf``); a folded comment points to them.
    """

    name = "markdown"
    binary = False

    def __init__(self, budget: int | None = None, artifacts: Sequence[str] = ()) -> None:
        self.budget = max(MIN_BUDGET, budget if budget is not None else DEFAULT_BUDGET)
        self.artifacts = tuple(artifacts)

    def render(self, report: Report) -> str:
        """Render the whole comment, folding the least severe models to fit the budget."""
        sources = _Sources()
        ordered = _severity_order(report)
        rows = [self._table_row(a) for a in ordered]
        blocks = [self._model(a, sources, report.project.path)
                  if a.findings or a.level > Level.NONE else []
                  for a in ordered]
        # Project findings never refer to a model's block (it may be folded).
        sources.matches.clear()
        sources.findings.clear()
        middle = self._project(report, sources)
        footer = self._footer(report, sources)
        head = self._summary(report)
        table_head = ["### Models", "", _row("Model", "Vendor", "Country", "Level",
                                               "Reason"),
                      _row("---", "---", "---", "---", "---")]

        def assemble(shown_rows: int, shown_blocks: int) -> str:
            out = list(head)
            out += table_head + rows[:shown_rows]
            folded = ordered[shown_rows:]
            if folded:
                out.append(_row("…", "—", "—", "—", esc(self._folded_counts(folded))))
            out.append("")
            if shown_rows < len(ordered) or any(blocks[shown_blocks:]):
                out += self._fold_note(ordered, shown_rows, shown_blocks, blocks)
            body = [b for b in blocks[:shown_blocks] if b]
            if body:
                out += ["### Findings by model", ""]
                for block in body:
                    out += block
            out += middle
            out += footer
            return "\n".join(out)

        # Fold from the least severe end, in phases: the blocks, then the rows, of models
        # below medium; then the blocks of the others; their rows last. Every model at or
        # above medium keeps its row (its name, level and reason) as long as anything does.
        # Sizes are additive, so each step is a subtraction.
        serious = sum(1 for a in ordered if a.level >= Level.MEDIUM)
        shown_rows, shown_blocks = len(rows), len(blocks)
        text = assemble(shown_rows, shown_blocks)
        for kind, floor in (("blocks", serious), ("rows", serious), ("blocks", 0), ("rows", 0)):
            while len(text) > self.budget:
                excess = len(text) - self.budget
                if kind == "blocks":
                    if shown_blocks <= floor:
                        break
                    while shown_blocks > floor and excess > 0:
                        shown_blocks -= 1
                        excess -= _size(blocks[shown_blocks])
                else:
                    if shown_rows <= floor:
                        break
                    while shown_rows > floor and excess > 0:
                        shown_rows -= 1
                        excess -= len(rows[shown_rows]) + 1
                text = assemble(shown_rows, shown_blocks)
        if len(text) > self.budget:
            # Only the footer and project sections are left to give: keep whole sections
            # that fit (each is balanced Markdown/HTML), then say what was left out.
            text = self._hard_fit(head, ordered)
        return text

    # --- the head ---------------------------------------------------------------------------

    def _summary(self, report: Report) -> list[str]:
        verdict = facts.verdict_phrase(report)
        lines = [
            f"## riskcheck: {LEVEL_BADGES[report.level]} — {'❌' if report.failed else '✅'} "
            f"{verdict}",
            "",
            f"**Overall: {report.level.label}** (score {report.score:.2f}) · "
            f"{esc(_counts(report))} · project **{esc(report.project.name, 120)}**",
            "",
        ]
        notice = facts.data_notice(report)
        if report.bundled_data:
            lines += ["> [!WARNING]", f"> Screened against the {esc(notice)}.", ""]
        else:
            lines += [f"Data: {esc(notice, 1000)}", ""]
        return lines

    def _table_row(self, assessment: ModelAssessment) -> str:
        vendor = facts.vendor_of(assessment)
        unresolved = assessment.resolution.status == "unresolved"
        top = headline(assessment)
        if top is not None:
            reason = top.summary  # says what it is about; the kind's title is in the block
        else:
            # A model without findings has no block: an ambiguous serving party is said here.
            note = facts.serving_note(assessment.resolution)
            reason = "no findings" + (f"; {note}" if note else "")
        return _row(code(facts.model_label(assessment), 120),
                    "**unresolved**" if unresolved else esc(vendor.name if vendor else "—", 60),
                    esc(facts.country_of(assessment) or "unknown"),
                    LEVEL_BADGES[assessment.level],
                    esc(reason, _REASON_CHARS))

    @staticmethod
    def _folded_counts(folded: Sequence[ModelAssessment]) -> str:
        counts = {level: 0 for level in facts.LEVELS_DESCENDING}
        for a in folded:
            counts[a.level] += 1
        parts = ", ".join(f"{n} {level.label}" for level, n in counts.items() if n)
        return f"{len(folded)} more model{'s' if len(folded) != 1 else ''} ({parts})"

    def _pointer(self) -> str:
        if self.artifacts:
            names = ", ".join(code(name, 120) for name in self.artifacts)
            return f"the full report in {names} has every model and finding"
        return ("the full report has every model and finding: save the result with "
                "<code>--format json</code> and render it with <code>riskcheck report</code>")

    def _fold_note(self, ordered: Sequence[ModelAssessment], shown_rows: int,
                   shown_blocks: int, blocks: Sequence[list[str]]) -> list[str]:
        hidden_blocks = sum(1 for b in blocks[shown_blocks:shown_rows] if b)
        parts = []
        if shown_rows < len(ordered):
            folded = len(ordered) - shown_rows
            parts.append(f"the {folded} least severe model{'s are' if folded != 1 else ' is'} "
                         "folded into counts")
        if hidden_blocks:
            parts.append(f"the findings of {hidden_blocks} listed model"
                         f"{'s' if hidden_blocks != 1 else ''} are not shown")
        return ["> [!NOTE]", f"> This comment is shortened to {self.budget:,} characters: "
                f"{'; '.join(parts)}; {self._pointer()}.", ""]

    # --- one block per model ----------------------------------------------------------------

    def _model(self, assessment: ModelAssessment, sources: _Sources,
               manifest: str | None = None) -> list[str]:
        ref = assessment.resolution.ref
        count = len(assessment.findings)
        lines = ["<details>",
                 f"<summary>{code(ref.id, 120)} — {LEVEL_BADGES[assessment.level]} · "
                 f"{count} finding{'s' if count != 1 else ''}</summary>", ""]
        lines.append(self._facts_line(assessment, manifest))
        lines.append("")
        findings = sorted(assessment.findings, key=lambda f: -int(f.level))
        same = {sources.findings.get(_finding_key(f)) for f in findings}
        if findings and len(same) == 1 and None not in same:
            # Same vendor, same findings (another usage of the same weights): say so once.
            earlier = same.pop()
            assert earlier is not None
            levels = {}
            for f in findings:
                levels[f.level] = levels.get(f.level, 0) + 1
            # Only the factors this model's findings have and the earlier model's did not
            # (its usage, say): the rest is explained above.
            factors = {}
            for f in findings:
                before = sources.factors.get(_finding_key(f), ())
                for part in _factors([d for d in f.details if _is_arithmetic(d)]):
                    if part not in before:
                        factors.setdefault(part, None)
            lines.append(f"- the same {len(findings)} finding{'s' if len(findings) != 1 else ''}"
                         f" as for {code(earlier, 120)} above, here at "
                         + ", ".join(f"{n} {level.label}" for level, n in levels.items())
                         + (f": {esc(' '.join(factors), 600)}" if factors else ""))
        else:
            # The findings that set the model's level are explained; those below it (they
            # neither set the level nor, alone, change what the reader must do about the
            # model) are counted, one line per level, each kind with its lists, bands and
            # scores. The full report explains every one.
            counted = [f for f in findings if f.level < assessment.level]
            sources.said = []
            for finding in findings:
                if finding not in counted:
                    lines += self._finding(finding, sources, ref.id)
            lines += self._counted(counted)
            for finding in counted:  # so a model with the same findings refers here
                key = _finding_key(finding)
                sources.findings.setdefault(key, ref.id)
                sources.factors.setdefault(key, tuple(_factors(
                    [d for d in finding.details if _is_arithmetic(d)])))
        lines += ["</details>", ""]
        return lines

    @staticmethod
    def _counted(findings: Sequence[Finding]) -> list[str]:
        """Findings below their model's level, one line per level: each kind with its count,
        and for name matches the lists, bands and scores."""
        lines = []
        for level in facts.LEVELS_DESCENDING:
            at = [f for f in findings if f.level == level]
            if not at:
                continue
            groups: dict[tuple[str, str], list[Finding]] = {}
            for finding in at:
                band = finding.match.band if finding.match is not None else ""
                groups.setdefault((finding.kind, band), []).append(finding)
            parts = []
            for (kind, band), group in groups.items():
                text = facts.kind_title(kind) + (f" ×{len(group)}" if len(group) > 1 else "")
                matches = [f.match for f in group if f.match is not None]
                if matches:
                    lists = dict.fromkeys(code for m in matches for code in m.all_lists)
                    low, high = (min(m.score for m in matches), max(m.score for m in matches))
                    scores = f"{low:.2f}" if f"{low:.2f}" == f"{high:.2f}" else \
                        f"{low:.2f}–{high:.2f}"
                    text += f" ({', '.join(lists)}; {band} {scores})"
                parts.append(esc(text, 200))
            lines.append(f"- **{level.label.upper()}** {len(at)} more (full report): "
                         + "; ".join(parts))
        return lines

    @staticmethod
    def _facts_line(assessment: ModelAssessment, manifest: str | None = None) -> str:
        ref = assessment.resolution.ref
        parts = []
        if assessment.resolution.status == "unresolved":
            parts.append("vendor **unresolved** (not screened)")
            if assessment.resolution.hint:
                parts.append(f"what to do: {esc(assessment.resolution.hint, _VALUE_CHARS)}")
        else:
            vendor = facts.vendor_of(assessment)
            # Its name is in the model's table row; its registry id is what a manifest's
            # ``vendor:`` names.
            parts.append("vendor " + (esc(vendor.id, _VALUE_CHARS) if vendor else "—"))
            parents = facts.parents_of(assessment)
            if parents:
                parts.append("parent " + "; ".join(esc(f"{p.name} ({p.country or '?'})", 120)
                                                   for p in parents))
        serving = assessment.resolution.serving
        ambiguous = facts.serving_note(assessment.resolution)
        if ambiguous is not None:
            # Who receives the data is not known from the reference: the candidates instead
            # of one "served by".
            parts.append(f"**{esc(ambiguous, _VALUE_CHARS)}**")
        elif serving is not None:
            vendor = facts.vendor_of(assessment)
            who = ("the vendor" if vendor is not None and serving.organisation.id == vendor.id
                   else serving.organisation.name)
            parts.append("served by " + esc(f"{who} — {serving.host or '?'}"
                                            f" ({serving.data_country or '?'})", _VALUE_CHARS))
        parts.append("usage " + esc(ref.usage + (f" via {ref.provider}" if ref.provider else ""),
                                    120))
        if ref.location and ref.location.path == manifest:
            parts.append(f"manifest line {ref.location.line}")
        elif ref.location:
            parts.append("declared at " + code(f"{ref.location.path}:{ref.location.line}",
                                               _VALUE_CHARS))
        return " · ".join(parts)

    def _finding(self, finding: Finding, sources: _Sources, model: str = "") -> list[str]:
        """One finding: its level and summary with its sources' numbers on one line, then the
        scorer's arithmetic (factors other than 1), the match evidence and any other detail,
        each on a short line. A finding already explained under another model gets its
        summary (shortened) and what differs here only."""
        exception = (f" · exception {esc(finding.exception_id, 120)}"
                     if finding.exception_id else "")
        match = finding.match
        restated = _explanation_details(match) if match is not None else set()
        key = _finding_key(finding)
        earlier = sources.findings.get(key)
        cited: list[int] = []
        arithmetic: list[str] = []
        context: list[str] = []
        for detail in finding.details:
            if match is not None and _restates_match(detail, match, restated):
                continue
            if _is_reference(detail):
                cited.append(sources.number(detail) if earlier is None else 0)
            elif _is_arithmetic(detail):
                arithmetic.append(detail)
            elif not _is_gloss(detail, sources):
                context.append(detail)
        explained_here = (match is not None and earlier is None
                          and _match_key(match) not in sources.matches)
        if explained_here and (match.entity.url or "").startswith(("https://", "http://")):
            entity = match.entity
            # Labelled by its record, so it never reads like the list's own source.
            cited.append(sources.number(f"{entity.source_id} {entity.url}",
                                        label=f"{entity.source_id}: "
                                              f"{entity.citation or 'list record'}"))
        factors = tuple(_factors(arithmetic))
        if model and earlier is None:
            sources.findings[key] = model
            sources.factors[key] = factors
        numbers = "".join(f" [{n}]" for n in dict.fromkeys(cited) if n)
        lines = [f"- **{finding.level.label.upper()}** "
                 f"{esc(finding.summary, 1000 if earlier is None else 90)}{exception}{numbers}"]
        if earlier is not None:
            new = [f for f in factors if f not in sources.factors.get(key, ())]
            lines.append(f"  - as for {code(earlier, 120)} above"
                         + (f"; here {esc(' '.join(new), 600)}" if new else ""))
            return lines
        score = _score_line(arithmetic, finding.summary)
        if score:
            lines.append(f"  - {esc(score, 600)}")
        if match is not None:
            lines += self._match_lines(match, sources, model, finding.summary)
        lines += [f"  - {esc(detail, _CONTEXT_CHARS)}" for detail in context
                  if not _names_said(detail, [*sources.said, *lines])]
        sources.said += lines
        return lines

    def _match_lines(self, match: Match, sources: _Sources, model: str,
                     summary: str) -> list[str]:
        """The match explained, or where it was explained already."""
        first = sources.matches.get(_match_key(match))
        if first is None:
            if model:
                sources.matches[_match_key(match)] = model
            return self._explanation(match, summary)
        if first == model:
            return []  # explained a few lines up, in this block
        return [f"  - list record {esc(match.entity.source, 60)} "
                f"{code(match.entity.source_id, 120)}: match explained under "
                f"{code(first, 120)} above"]

    @staticmethod
    def _explanation(match: Match, summary: str = "") -> list[str]:
        """The evidence of a match on one line: the name asked, the name matched, the record,
        score and band, the qualifiers, and what the finding's summary does not already say
        about the listing. The token alignment is shown for a match a reviewer must confirm
        (any band but ``match``); the full report has it for every match."""
        exp = match.explanation
        entity = match.entity
        to = ("" if exp.matched_name == exp.query_name
              else f" to “{esc(exp.matched_name, 120)}”")
        state = ", ".join(part for part in (
            f"score {match.score:.2f}",
            "" if match.band == "match" else f"band {esc(match.band)}",
            "" if match.status == "current" else esc(match.status)) if part)
        extra = [esc(q, 120) for q in exp.qualifiers]
        if entity.name not in (exp.matched_name, exp.query_name) and entity.name not in summary:
            extra.append(f"listed name **{esc(entity.name, _VALUE_CHARS)}**")
        if entity.programs and not all(p in summary for p in entity.programs):
            extra.append(f"programs {esc(', '.join(entity.programs), 120)}")
        listed = facts.listed_on_phrase(match)
        if listed and not all(d in summary for d in (entity.listed_on, entity.removed_on) if d):
            extra.append(esc(listed))
        line = (f"  - matched “{esc(exp.query_name, 120)}”{to} ({esc(entity.source, 60)} "
                f"{code(entity.source_id, 120)}, {state})")
        if extra:
            line += "; " + "; ".join(extra)
        if match.also_listed:
            # The same listing published again (another list, another source): its record
            # only; the full report has each record's programs.
            line += "; also " + ", ".join(
                f"{esc(e.source, 60)} {esc(e.source_id, 120)}"
                for e in match.also_listed[:10]) + (
                f", +{len(match.also_listed) - 10} more" if len(match.also_listed) > 10 else "")
        lines = [line]
        if exp.alignment and match.band != "match":
            lines.append(f"  - alignment: {esc(exp.alignment, 400)}")
        return lines

    # --- project-wide sections --------------------------------------------------------------

    def _project(self, report: Report, sources: _Sources) -> list[str]:
        out: list[str] = []
        if report.project_findings:
            out += ["### Project findings", ""]
            for finding in report.project_findings:
                out += self._finding(finding, sources)
            out.append("")
        if report.undeclared:
            out += ["### Used in code but not in the manifest (not assessed)", ""]
            for r in report.undeclared[:_LISTED_ITEMS]:
                where = (f" at {code(f'{r.location.path}:{r.location.line}', _VALUE_CHARS)}"
                         if r.location else "")
                out.append(f"- {code(r.id, 120)}{where}")
            rest = len(report.undeclared) - _LISTED_ITEMS
            if rest > 0:
                out.append(f"- … and {rest} more in the full report")
            out.append("")
        out += self._exceptions(report)
        return out

    def _exceptions(self, report: Report) -> list[str]:
        applied = facts.excepted_findings(report)
        declared = facts.policy_exceptions(report)
        if not applied and not declared:
            return []
        lines = ["### Exceptions in force", ""]
        if applied:
            lines += [_row("Exception", "Model", "Finding", "Level now"),
                      _row("---", "---", "---", "---")]
            for assessment, finding in applied:
                model = code(assessment.resolution.ref.id, 120) if assessment else "project"
                lines.append(_row(code(finding.exception_id, 120), model,
                                  esc(finding.summary, _REASON_CHARS), finding.level.label))
            lines.append("")
        if declared:
            keys = ["id", "model", "lists", "approver", "created", "expires", "reason"]
            lines += [_row(*(k.capitalize() for k in keys)), _row(*("---" for _ in keys))]
            for item in declared:
                cells = [item.get(k) for k in keys]
                lines.append(_row(*(esc(", ".join(map(str, c)) if isinstance(c, list)
                                        else c if c is not None else "—", _VALUE_CHARS)
                                    for c in cells)))
            lines.append("")
        return lines

    # --- the footer -------------------------------------------------------------------------

    def _footer(self, report: Report, sources: _Sources) -> list[str]:
        out = self._versions(report)
        if sources.numbers:
            out += ["<details>", f"<summary>Sources cited ({len(sources.numbers)})</summary>", ""]
            out += [f"{n}. {_reference(line, sources.labels.get(line))}"
                    for line, n in sources.numbers.items()]
            out += ["", "</details>", ""]
        if report.warnings:
            out += ["### Warnings", ""]
            out += [f"- {esc(w, 2 * _VALUE_CHARS)}" for w in report.warnings[:_LISTED_ITEMS]]
            if len(report.warnings) > _LISTED_ITEMS:
                out.append(f"- … and {len(report.warnings) - _LISTED_ITEMS} more in the full "
                           "report")
            out.append("")
        out.append(self._signature(report))
        return out

    @staticmethod
    def _signature(report: Report) -> str:
        meta = report.metadata
        footer = "riskcheck"
        if meta:
            footer = (f"riskcheck {esc(meta.tool_version, 40)} · run {code(meta.run_id, 60)} · "
                      f"{esc(meta.started_at, 60)}")
        return f"<sub>{footer}</sub>\n"

    def _versions(self, report: Report) -> list[str]:
        count = len(report.list_versions)
        lines = ["<details>",
                 f"<summary>Lists screened ({count} version{'s' if count != 1 else ''})"
                 "</summary>", ""]
        if report.coverage and any(c.state != "stored" for c in report.coverage):
            # When every source is stored, the table below names each one.
            lines += [f"Coverage: {self._coverage(report)}", ""]
        if not report.list_versions:
            return lines + ["_No list versions recorded._", "", "</details>", ""]
        bundled = [v for v in report.list_versions if v.origin == "bundled"]
        stored = [v for v in report.list_versions if v.origin != "bundled"]
        if bundled:
            labels = sorted({v.version for v in bundled})
            compiled = max((v.fetched_at or "" for v in bundled), default="") or None
            listed = sorted(v.published for v in bundled if v.published)
            lines += [f"Bundled {esc(facts.snapshot_phrase(compiled))}: version "
                      + ", ".join(code(label, 80) for label in labels)
                      + f", {sum(v.record_count for v in bundled)} entries on "
                      + ", ".join(esc(v.source.removeprefix("bundled:"), 60) for v in bundled)
                      + (f", newest listing {esc(listed[-1], 20)}" if listed else ""), ""]
        if stored:
            # Each version's date is on the comment's Data line; here its sha256 (the first 12
            # digits, as 'lists status' shows it; the JSON report has it whole, and its record
            # count).
            lines += ["Stored versions (sha256): " + " · ".join(
                f"{esc(v.source, 60)} {esc(v.version[:12], 12)}"
                + (" ⚠️ **stale**" if v.stale else "") for v in stored), ""]
        return lines + ["</details>", ""]

    @staticmethod
    def _coverage(report: Report) -> str:
        """Every catalogue source's coverage, grouped: stored, bundled (one snapshot date),
        missing."""
        stored = [c for c in report.coverage if c.state == "stored"]
        bundled = [c for c in report.coverage if c.state == "bundled"]
        missing = [c for c in report.coverage if c.state == "missing"]
        parts = []
        if stored:
            # Their dates, record counts and versions are in the table below (and a stored
            # version that predates bundled entries is named under Warnings).
            parts.append("stored: " + ", ".join(esc(c.source, 60) for c in stored))
        if bundled:
            dates = sorted({c.snapshot_date or "" for c in bundled})
            parts.append(f"from the bundled {esc(facts.snapshot_phrase(dates[-1] or None))}: "
                         + ", ".join(f"{esc(c.source, 60)} ({c.record_count})" for c in bundled))
        if missing:
            parts.append("**missing** (not screened): "
                         + ", ".join(esc(c.source, 60) for c in missing))
        return " · ".join(parts)

    def _hard_fit(self, head: list[str], ordered: Sequence[ModelAssessment]) -> str:
        """The verdict, the counts and the pointer only: what is left when even the sections
        every comment carries exceed the budget (hostile or enormous values)."""
        out = list(head)
        out += [f"{esc(self._folded_counts(ordered))} are folded.", "",
                "> [!NOTE]", f"> This comment is shortened to {self.budget:,} characters; "
                f"{self._pointer()}.", ""]
        text = "\n".join(out)
        while len(text) > self.budget and "\n" in text:
            text = text[:text.rindex("\n")]  # whole lines only: no reference is split
        return text


def _size(block: list[str]) -> int:
    return sum(len(line) + 1 for line in block)
