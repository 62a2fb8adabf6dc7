import Testing

/// The root of every suite in this target.
///
/// These tests change state the whole test process shares: environment
/// variables (`NOTIFY_SOCKET`, `WATCHDOG_*`, `LISTEN_*`, `JOURNAL_STREAM`),
/// descriptor 3, and child processes such as journald. `.serialized` on the root
/// applies to every nested suite, so no two of these tests ever run at once.
@Suite(.serialized)
enum ProcessWide {}
