from pmweek.cli import entry

entry()
