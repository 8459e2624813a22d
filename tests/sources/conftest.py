from tests.links.conftest import news_site

__all__ = ["news_site"]
