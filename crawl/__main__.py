"""``python -m crawl ...`` runs the crawl command (same options as ``thidua crawl``)."""
from crawl.cli import crawl_command

if __name__ == "__main__":
    crawl_command(prog_name="python -m crawl")
