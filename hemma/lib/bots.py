"""Whether a request's user agent is a robot: a crawler, a link preview or a script.

Used to leave robots out of the counts of how often information is read
(hemma/information/uses.py). A list of known agents' tokens, and the words robots' agents
use of themselves, matched anywhere in the agent, whatever the case. A request without an
agent is taken for a robot: every browser sends one. Nothing of the agent is kept.

The list errs on the side of counting: a robot that calls itself a browser is counted. A
headless browser that says so ("HeadlessChrome") is a program reading the page (a scraper, a
prerenderer, a monitor), not a resident, and is not counted; Hemma's own browser tests give a
desktop browser's agent where they count.
"""

import re

# Known crawlers, link previews and HTTP libraries, by a token of their user agent.
KNOWN_AGENTS: tuple[str, ...] = (
    "Googlebot",
    "Google-InspectionTool",
    "GoogleOther",
    "AdsBot-Google",
    "Mediapartners-Google",
    "APIs-Google",
    "Storebot-Google",
    "bingbot",
    "BingPreview",
    "msnbot",
    "YandexBot",
    "YandexImages",
    "Baiduspider",
    "DuckDuckBot",
    "DuckAssistBot",
    "Applebot",
    "facebookexternalhit",
    "facebookcatalog",
    "meta-externalagent",
    "Twitterbot",
    "LinkedInBot",
    "Slackbot",
    "Slack-ImgProxy",
    "Discordbot",
    "TelegramBot",
    "WhatsApp",
    "SkypeUriPreview",
    "Pinterest",
    "redditbot",
    "Embedly",
    "Qwantify",
    "SeznamBot",
    "PetalBot",
    "SemrushBot",
    "AhrefsBot",
    "MJ12bot",
    "DotBot",
    "Bytespider",
    "GPTBot",
    "ChatGPT-User",
    "OAI-SearchBot",
    "ClaudeBot",
    "anthropic-ai",
    "PerplexityBot",
    "CCBot",
    "Amazonbot",
    "ia_archiver",
    "archive.org_bot",
    "PhantomJS",
    "HeadlessChrome",
    "Lighthouse",
    "curl",
    "Wget",
    "python-requests",
    "python-urllib",
    "python-httpx",
    "aiohttp",
    "Go-http-client",
    "Java/",
    "okhttp",
    "Apache-HttpClient",
    "libwww-perl",
    "node-fetch",
    "axios",
    "HTTPie",
    "PostmanRuntime",
    "Scrapy",
    "uptimerobot",
    "Pingdom",
    "StatusCake",
)
# The words robots use of themselves: "…bot", "crawler", "spider", Yahoo's "Slurp".
ROBOT_WORDS: tuple[str, ...] = ("bot", "crawl", "spider", "slurp")

_PATTERN = re.compile(
    "|".join(re.escape(token) for token in (*KNOWN_AGENTS, *ROBOT_WORDS)), re.IGNORECASE
)


def is_bot(user_agent: str | None) -> bool:
    """Whether `user_agent` (a request's User-Agent header) is a robot's; no agent is."""
    if not user_agent or not user_agent.strip():
        return True
    return _PATTERN.search(user_agent) is not None
