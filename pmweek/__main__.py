from pmweek.cli import main

raise SystemExit(main())
