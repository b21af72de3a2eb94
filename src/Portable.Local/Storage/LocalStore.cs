using Microsoft.Data.Sqlite;

namespace Portable.Local.Storage;

/// <summary>
/// The one SQLite database that holds the local host's documents and queued messages, in the data folder
/// (WAL, synchronous FULL: a message the host accepted survives a crash) or in memory for tests.
/// Every statement runs on one connection under a lock; each is short.
/// </summary>
internal sealed class LocalStore : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS documents (
            collection TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            token TEXT NOT NULL,
            body TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (collection, id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            queue TEXT NOT NULL,
            body BLOB NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            visible_at INTEGER NOT NULL,
            enqueued_at INTEGER NOT NULL,
            dead INTEGER NOT NULL DEFAULT 0,
            lease TEXT,
            last_error TEXT,
            traceparent TEXT,
            tracestate TEXT);
        CREATE INDEX IF NOT EXISTS messages_ready ON messages (queue, dead, visible_at);
        CREATE TABLE IF NOT EXISTS dedup (
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (scope, key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS sequences (
            name TEXT NOT NULL PRIMARY KEY,
            value INTEGER NOT NULL) WITHOUT ROWID;
        """;

    // Databases written before versions carried a token (and restarted at 1 after a delete): give every stored document a
    // random token, so the bare numbers handed out before read as foreign versions (a conflict), and start the version
    // sequence above every version stored.
    private const string Migration = """
        ALTER TABLE documents ADD COLUMN token TEXT NOT NULL DEFAULT '';
        UPDATE documents SET token = lower(hex(randomblob(8)));
        """;

    // Databases written before messages carried the sender's trace context: the columns are added, empty, so the messages
    // already queued are delivered as before (each starts a new trace).
    private const string MessageTraceMigration = """
        ALTER TABLE messages ADD COLUMN traceparent TEXT;
        ALTER TABLE messages ADD COLUMN tracestate TEXT;
        """;

    private const string SequenceStart = """
        INSERT OR IGNORE INTO sequences (name, value) VALUES ('documents', (SELECT coalesce(max(version), 0) FROM documents));
        """;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private bool _disposed;

    public LocalStore(LocalOptions options)
    {
        if (options.InMemory)
        {
            Location = "memory";
            _connection = new SqliteConnection("Data Source=:memory:");
        }
        else
        {
            var folder = Path.GetFullPath(options.DataDirectory);
            Directory.CreateDirectory(folder);
            Location = Path.Combine(folder, "portable.db");
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Location, Pooling = false }.ToString());
        }

        _connection.Open();
        Execute(options.InMemory
            ? "PRAGMA foreign_keys = OFF;"
            : "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
        using (var transaction = _connection.BeginTransaction())
        {
            Execute(Schema, transaction);
            if (!HasColumn("documents", "token", transaction)) Execute(Migration, transaction);
            if (!HasColumn("messages", "traceparent", transaction)) Execute(MessageTraceMigration, transaction);
            Execute(SequenceStart, transaction);
            transaction.Commit();
        }
    }

    /// <summary>The database file, or <c>memory</c>.</summary>
    public string Location { get; }

    /// <summary>Runs work on the connection under the lock.</summary>
    public T Run<T>(Func<SqliteConnection, T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work(_connection);
        }
    }

    /// <summary>Runs work in one transaction under the lock.</summary>
    public T InTransaction<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction();
            var result = work(_connection, transaction);
            transaction.Commit();
            return result;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _connection.Dispose();
        }
    }

    private void Execute(string sql, SqliteTransaction? transaction = null)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private bool HasColumn(string table, string column, SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM pragma_table_info($table) WHERE name = $column";
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$table", table);
        command.Parameters.AddWithValue("$column", column);
        return (long)command.ExecuteScalar()! > 0;
    }
}
