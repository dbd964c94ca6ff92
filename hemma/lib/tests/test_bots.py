"""Robots are told from readers by their user agent."""

import pytest

from hemma.lib.bots import is_bot

BROWSERS = [
    # Chrome on Android, Safari on iPhone, Firefox on Windows, Edge, Samsung Internet.
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
    "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
]

ROBOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
    "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.32.3",
    "Go-http-client/2.0",
    "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
    "SomeNewCrawler/0.1",
    "example-spider (+https://example.org)",
    "AcmeBot",
]


@pytest.mark.parametrize("agent", BROWSERS)
def test_a_browser_is_not_a_robot(agent):
    assert not is_bot(agent)


@pytest.mark.parametrize("agent", ROBOTS)
def test_a_known_crawler_or_tool_is_a_robot(agent):
    assert is_bot(agent)


@pytest.mark.parametrize("agent", ["GOOGLEBOT/2.1", "googlebot/2.1", "CURL/8"])
def test_the_case_of_the_agent_does_not_matter(agent):
    assert is_bot(agent)


@pytest.mark.parametrize("agent", [None, "", "   "])
def test_no_agent_is_taken_for_a_robot(agent):
    assert is_bot(agent)


def test_a_headless_browser_that_says_so_is_a_program_not_a_reader():
    agent = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/126.0.0.0 Safari/537.36"
    )

    assert is_bot(agent)
    assert not is_bot(agent.replace("HeadlessChrome", "Chrome"))
