"""The queue at the windows: taking a number, calling, recalling, no-shows, holds, transfers, and the boards the screens show."""
