"""Word lists and the deterministic text built from them (names, descriptions, comments)."""

from __future__ import annotations

from clickup_simulator.generation.mix import mix

VERBS = [
    "Fix",
    "Write",
    "Review",
    "Plan",
    "Design",
    "Ship",
    "Test",
    "Refactor",
    "Document",
    "Migrate",
    "Prepare",
    "Update",
    "Investigate",
    "Automate",
    "Draft",
    "Clean up",
    "Measure",
    "Deploy",
]
NOUNS = [
    "invoice export",
    "login page",
    "onboarding flow",
    "quarterly report",
    "API client",
    "pricing table",
    "search index",
    "release notes",
    "mobile menu",
    "data model",
    "newsletter",
    "billing webhook",
    "dashboard",
    "support macros",
    "landing page",
    "backup job",
    "sitemap",
    "payment retries",
    "roadmap",
    "user interviews",
    "status page",
    "audit log",
    "SSO setup",
]
QUALIFIERS = [
    "",
    "",
    "",
    " for Q3",
    " (v2)",
    " before launch",
    " for enterprise",
    " — follow-up",
    " in staging",
    " for the EU region",
    " again",
    " with design",
]
FIRST = [
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Margaret",
    "Ken",
    "Barbara",
    "Dennis",
    "Frances",
    "Edsger",
    "Radia",
    "Tim",
    "Hedy",
    "John",
    "Katherine",
    "Donald",
    "Sophie",
    "Guido",
    "Anita",
    "Niklaus",
    "Lynn",
    "Bjarne",
    "Joan",
    "Whitfield",
    "Shafi",
    "Leslie",
    "Mary",
    "Vint",
    "Carol",
    "Brian",
]
LAST = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Thompson",
    "Liskov",
    "Ritchie",
    "Allen",
    "Dijkstra",
    "Perlman",
    "Berners-Lee",
    "Lamarr",
    "Backus",
    "Johnson",
    "Knuth",
    "Wilson",
    "Rossum",
    "Borg",
    "Wirth",
    "Conway",
    "Stroustrup",
    "Clarke",
    "Diffie",
    "Goldwasser",
    "Lamport",
    "Shaw",
    "Cerf",
    "Shaw",
    "Kernighan",
]
SENTENCES = [
    "Customers asked for this twice last week.",
    "Blocked until the vendor answers.",
    "See the linked doc for the acceptance criteria.",
    "Keep the old behaviour behind a flag.",
    "Numbers must match the finance export.",
    "Pair with design before starting.",
    "This is the last piece before the release.",
    "Estimate assumes no schema change.",
    "Needs a second reviewer from the platform team.",
    "Check the edge cases on mobile.",
]
COMMENTS = [
    "Looks good to me.",
    "Can we move this to next sprint?",
    "I pushed a first draft.",
    "Who owns the follow-up?",
    "Done on my side, please review.",
    "Found another edge case.",
    "Customer confirmed the fix.",
    "Waiting on the design review.",
    "Adding the numbers now.",
    "Let's discuss in standup.",
    "Reopening: the export still fails.",
    "Thanks, merged.",
]
COLORS = [
    "#7b68ee",
    "#ff7fab",
    "#f9d900",
    "#1bbc9c",
    "#0231e8",
    "#e50000",
    "#2ecd6f",
    "#ff7800",
    "#667684",
    "#5f55ee",
    "#bf55ec",
    "#04a9f4",
    "#aa8d80",
    "#3db88b",
    "#d33d44",
    "#827718",
]
TAG_NAMES = [
    "bug",
    "feature",
    "customer",
    "urgent-fix",
    "tech-debt",
    "design",
    "backend",
    "frontend",
    "docs",
    "security",
    "performance",
    "infra",
    "q3",
    "q4",
    "research",
    "blocked",
]
SPACE_NAMES = [
    "Engineering",
    "Marketing",
    "Sales",
    "Operations",
    "Product",
    "Design",
    "Support",
    "Finance",
    "People",
    "Legal",
    "Data",
    "Growth",
]
FOLDER_NAMES = [
    "Roadmap",
    "Sprints",
    "Campaigns",
    "Clients",
    "Hiring",
    "Infrastructure",
    "Research",
    "Content",
    "Partners",
    "Releases",
    "Events",
    "Budget",
]
LIST_NAMES = [
    "Backlog",
    "In flight",
    "Bugs",
    "Ideas",
    "Requests",
    "Launch checklist",
    "Q1",
    "Q2",
    "Q3",
    "Q4",
    "Onboarding",
    "Maintenance",
    "Experiments",
    "Accounts",
    "Tickets",
    "Archive 2023",
]


def task_name(h: int) -> str:
    return f"{VERBS[h % len(VERBS)]} {NOUNS[(h >> 8) % len(NOUNS)]}{QUALIFIERS[(h >> 16) % len(QUALIFIERS)]}"


def description(h: int) -> str:
    """Plain text of 0-3 sentences (an empty description is common in ClickUp)."""
    count = (h >> 24) % 4
    return " ".join(SENTENCES[((h >> (28 + 4 * k)) & 0xF) % len(SENTENCES)] for k in range(count))


def markdown(text: str, h: int) -> str:
    if not text:
        return ""
    first, _, rest = text.partition(". ")
    return f"**{first}.** {rest}".rstrip() if rest else f"**{text}**"


def person(h: int) -> tuple[str, str]:
    return FIRST[h % len(FIRST)], LAST[(h >> 8) % len(LAST)]


def comment_text(*parts: int) -> str:
    h = mix(*parts)
    return COMMENTS[h % len(COMMENTS)]
