"""``python -m central_ref ...`` is ``central-ref ...``."""

from central_ref.cli import main

raise SystemExit(main())
