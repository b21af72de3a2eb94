using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portable.Hosting;

namespace Portable.Local.Storage;

/// <summary>
/// <see cref="IRepository{T}"/> on the local store. A version is <c>{sequence}.{token}</c>: the sequence is one counter for the
/// whole database (it survives deletes, re-creates and restarts, so no version is ever issued twice) and the token is random
/// (so a version cannot be guessed). Both are checked and replaced in the same statement as the write.
/// </summary>
internal sealed class SqliteRepository<T>(FunctionCatalog catalog, LocalStore store, TimeProvider time) : IRepository<T>
{
    private const int TokenLength = 16;
    private readonly RepositoryDefinition<T> _definition = catalog.GetRepository<T>();

    public Task<Stored<T>?> GetAsync(string id, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        cancellationToken.ThrowIfCancellationRequested();
        var row = store.Run(connection =>
        {
            using var command = connection.Command("SELECT version, token, body FROM documents WHERE collection = $c AND id = $id", null, ("$c", _definition.Name), ("$id", id));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ((long Version, string Token, string Body)?)(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)) : null;
        });
        return Task.FromResult(row is { } r ? new Stored<T>(id, Deserialize(r.Body), Format(r.Version, r.Token)) : null);
    }

    public Task<string> PutAsync(string id, T value, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        cancellationToken.ThrowIfCancellationRequested();
        var json = PortRules.SerializeDocument(value, _definition.TypeInfo, _definition.Name, id);
        var condition = Parse(expected);
        if (expected.Kind == ExpectedVersionKind.Exactly && condition is null) throw new ConcurrencyConflictException(_definition.Name, id, expected);
        var body = Encoding.UTF8.GetString(json);
        var token = NewToken();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var sql = expected.Kind switch
        {
            ExpectedVersionKind.Any => """
                INSERT INTO documents (collection, id, version, token, body, updated_at) VALUES ($c, $id, $version, $token, $body, $now)
                ON CONFLICT (collection, id) DO UPDATE SET version = excluded.version, token = excluded.token, body = excluded.body, updated_at = excluded.updated_at
                RETURNING version
                """,
            ExpectedVersionKind.None => """
                INSERT INTO documents (collection, id, version, token, body, updated_at) VALUES ($c, $id, $version, $token, $body, $now)
                ON CONFLICT (collection, id) DO NOTHING
                RETURNING version
                """,
            _ => """
                UPDATE documents SET version = $version, token = $token, body = $body, updated_at = $now
                WHERE collection = $c AND id = $id AND version = $expected AND token = $expectedToken
                RETURNING version
                """,
        };
        var written = store.InTransaction((connection, transaction) =>
        {
            var version = NextVersion(connection, transaction);
            return connection.Scalar(sql, transaction, ("$c", _definition.Name), ("$id", id), ("$version", version), ("$token", token), ("$body", body), ("$now", now),
                ("$expected", condition?.Sequence), ("$expectedToken", condition?.Token)) as long?;
        });
        return written is { } v
            ? Task.FromResult(Format(v, token))
            : throw new ConcurrencyConflictException(_definition.Name, id, expected);
    }

    public Task<bool> DeleteAsync(string id, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        cancellationToken.ThrowIfCancellationRequested();
        var condition = Parse(expected);
        if (expected.Kind == ExpectedVersionKind.Exactly && condition is null) throw new ConcurrencyConflictException(_definition.Name, id, expected);
        var outcome = store.InTransaction((connection, transaction) =>
        {
            (long Version, string Token)? stored = null;
            using (var command = connection.Command("SELECT version, token FROM documents WHERE collection = $c AND id = $id", transaction, ("$c", _definition.Name), ("$id", id)))
            using (var reader = command.ExecuteReader())
            {
                if (reader.Read()) stored = (reader.GetInt64(0), reader.GetString(1));
            }

            var allowed = expected.Kind switch
            {
                ExpectedVersionKind.Any => true,
                ExpectedVersionKind.None => stored is null,
                _ => stored is { } s && s.Version == condition!.Value.Sequence && string.Equals(s.Token, condition.Value.Token, StringComparison.Ordinal),
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
                "SELECT id, version, token, body FROM documents WHERE collection = $c AND id > $after ORDER BY id LIMIT $n",
                null, ("$c", _definition.Name), ("$after", after), ("$n", size + 1));
            using var reader = command.ExecuteReader();
            var list = new List<(string Id, long Version, string Token, string Body)>();
            while (reader.Read()) list.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3)));
            return list;
        });
        var items = rows.Take(size).Select(r => new Stored<T>(r.Id, Deserialize(r.Body), Format(r.Version, r.Token))).ToList();
        var token = rows.Count > size ? Convert.ToBase64String(Encoding.UTF8.GetBytes(items[^1].Id)) : null;
        return Task.FromResult(new Page<Stored<T>>(items, token));
    }

    private static long NextVersion(SqliteConnection connection, SqliteTransaction transaction)
        => (long)connection.Scalar("UPDATE sequences SET value = value + 1 WHERE name = 'documents' RETURNING value", transaction)!;

    private T Deserialize(string body) => JsonSerializer.Deserialize(body, _definition.TypeInfo)!;

    private static string Format(long version, string token) => version.ToString(CultureInfo.InvariantCulture) + "." + token;

    private static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));

    /// <summary>The sequence and token of an <see cref="ExpectedVersionKind.Exactly"/> version; null for other kinds and for a version this store never issues.</summary>
    private static (long Sequence, string Token)? Parse(ExpectedVersion expected)
    {
        if (expected.Kind != ExpectedVersionKind.Exactly) return null;
        var version = expected.Version!;
        var dot = version.IndexOf('.', StringComparison.Ordinal);
        if (dot is < 1 or > 19 || version.Length - dot - 1 != TokenLength) return null;
        if (!long.TryParse(version.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1) return null;
        var token = version[(dot + 1)..];
        return token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? (sequence, token) : null;
    }

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
