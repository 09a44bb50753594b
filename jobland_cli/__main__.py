from jobland_cli.main import main

raise SystemExit(main())
