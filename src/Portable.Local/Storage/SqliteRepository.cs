using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portable.Hosting;

namespace Portable.Local.Storage;

/// <summary><see cref="IRepository{T}"/> on the local store: versions are counters, checked and bumped in the same statement as the write.</summary>
internal sealed class SqliteRepository<T>(FunctionCatalog catalog, LocalStore store, TimeProvider time) : IRepository<T>
{
    private readonly RepositoryDefinition<T> _definition = catalog.GetRepository<T>();

    public Task<Stored<T>?> GetAsync(string id, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        cancellationToken.ThrowIfCancellationRequested();
        var row = store.Run(connection =>
        {
            using var command = connection.Command("SELECT version, body FROM documents WHERE collection = $c AND id = $id", null, ("$c", _definition.Name), ("$id", id));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ((long Version, string Body)?)(reader.GetInt64(0), reader.GetString(1)) : null;
        });
        return Task.FromResult(row is { } r ? new Stored<T>(id, Deserialize(r.Body), Format(r.Version)) : null);
    }

    public Task<string> PutAsync(string id, T value, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        cancellationToken.ThrowIfCancellationRequested();
        var body = JsonSerializer.Serialize(value, _definition.TypeInfo);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var sql = expected.Kind switch
        {
            ExpectedVersionKind.Any => """
                INSERT INTO documents (collection, id, version, body, updated_at) VALUES ($c, $id, 1, $body, $now)
                ON CONFLICT (collection, id) DO UPDATE SET version = version + 1, body = excluded.body, updated_at = excluded.updated_at
                RETURNING version
                """,
            ExpectedVersionKind.None => """
                INSERT INTO documents (collection, id, version, body, updated_at) VALUES ($c, $id, 1, $body, $now)
                ON CONFLICT (collection, id) DO NOTHING
                RETURNING version
                """,
            _ => """
                UPDATE documents SET version = version + 1, body = $body, updated_at = $now
                WHERE collection = $c AND id = $id AND version = $expected
                RETURNING version
                """,
        };
        var version = store.Run(c => c.Scalar(sql, null, ("$c", _definition.Name), ("$id", id), ("$body", body), ("$now", now), ("$expected", ParseExpected(expected))));
        return version is long v
            ? Task.FromResult(Format(v))
            : throw new ConcurrencyConflictException(_definition.Name, id, expected);
    }

    public Task<bool> DeleteAsync(string id, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        cancellationToken.ThrowIfCancellationRequested();
        var outcome = store.InTransaction((connection, transaction) =>
        {
            var stored = connection.Scalar("SELECT version FROM documents WHERE collection = $c AND id = $id", transaction, ("$c", _definition.Name), ("$id", id)) as long?;
            var allowed = expected.Kind switch
            {
                ExpectedVersionKind.Any => true,
                ExpectedVersionKind.None => stored is null,
                _ => stored is { } s && ParseExpected(expected) == s,
            };
            if (!allowed) return (bool?)null;
            if (stored is null) return false;
            connection.Execute("DELETE FROM documents WHERE collection = $c AND id = $id", transaction, ("$c", _definition.Name), ("$id", id));
            return true;
        });
        return outcome is { } deleted ? Task.FromResult(deleted) : throw new ConcurrencyConflictException(_definition.Name, id, expected);
    }

    public Task<Page<Stored<T>>> QueryAsync(PageRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var after = DecodeToken(request.ContinuationToken);
        var size = request.PageSize == 0 ? 100 : request.PageSize;
        var rows = store.Run(connection =>
        {
            using var command = connection.Command(
                "SELECT id, version, body FROM documents WHERE collection = $c AND id > $after ORDER BY id LIMIT $n",
                null, ("$c", _definition.Name), ("$after", after), ("$n", size + 1));
            using var reader = command.ExecuteReader();
            var list = new List<(string Id, long Version, string Body)>();
            while (reader.Read()) list.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
            return list;
        });
        var items = rows.Take(size).Select(r => new Stored<T>(r.Id, Deserialize(r.Body), Format(r.Version))).ToList();
        var token = rows.Count > size ? Convert.ToBase64String(Encoding.UTF8.GetBytes(items[^1].Id)) : null;
        return Task.FromResult(new Page<Stored<T>>(items, token));
    }

    private T Deserialize(string body) => JsonSerializer.Deserialize(body, _definition.TypeInfo)!;

    private static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static long? ParseExpected(ExpectedVersion expected)
        => expected.Kind != ExpectedVersionKind.Exactly ? null
            : long.TryParse(expected.Version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;

    private static string DecodeToken(string? token)
    {
        if (token is null) return "";
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The continuation token is not one this repository returned.", nameof(token), e);
        }
    }
}
