using System.Data;
using Npgsql;

namespace Fresco.Storage.Postgres;

/// <summary>
/// A read-only stream over a stored model's chunks, in order, read from the server as the caller reads (one pooled
/// connection and a repeatable-read transaction held until dispose, so a prune meanwhile does not cut it short). Not
/// thread-safe (one reader).
/// </summary>
internal sealed class ModelChunkStream : Stream
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly NpgsqlCommand _command;
    private readonly NpgsqlDataReader _reader;
    private readonly long _length;
    private Stream? _chunk;
    private bool _done;
    private long _position;

    private ModelChunkStream(NpgsqlConnection connection, NpgsqlTransaction transaction, NpgsqlCommand command, NpgsqlDataReader reader, long length)
    {
        _length = length;
        _connection = connection;
        _transaction = transaction;
        _command = command;
        _reader = reader;
    }

    /// <summary>The stream of <paramref name="version"/>'s bytes, owning <paramref name="connection"/>; null when absent.</summary>
    public static async Task<ModelChunkStream?> OpenAsync(NpgsqlConnection connection, long version, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var command = new NpgsqlCommand("""
            SELECT c.data FROM models m JOIN model_chunks c ON c.blob = m.blob WHERE m.version = @v ORDER BY c.chunk
            """, connection, transaction);
        try
        {
            long length;
            await using (var size = new NpgsqlCommand("SELECT size FROM models WHERE version = @v", connection, transaction))
            {
                size.Parameters.AddWithValue("v", version);
                if (await size.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long found)
                {
                    length = found;
                }
                else
                {
                    await command.DisposeAsync().ConfigureAwait(false);
                    await transaction.DisposeAsync().ConfigureAwait(false);
                    await connection.DisposeAsync().ConfigureAwait(false);
                    return null;
                }
            }

            command.Parameters.AddWithValue("v", version);
            var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
            return new ModelChunkStream(connection, transaction, command, reader, length);
        }
        catch
        {
            await command.DisposeAsync().ConfigureAwait(false);
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    /// <summary>The artifact's size, known from its metadata (model readers check array lengths against it).</summary>
    public override long Length => _length;

    /// <summary>Bytes read so far; setting it is not supported.</summary>
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (!_done && buffer.Length > 0)
        {
            if (_chunk is null)
            {
                if (!_reader.Read())
                {
                    _done = true;
                    break;
                }

                _chunk = _reader.GetStream(0);
            }

            var read = _chunk.Read(buffer);
            if (read > 0)
            {
                _position += read;
                return read;
            }

            _chunk.Dispose();
            _chunk = null;
        }

        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!_done && buffer.Length > 0)
        {
            if (_chunk is null)
            {
                if (!await _reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    _done = true;
                    break;
                }

                _chunk = await _reader.GetStreamAsync(0, cancellationToken).ConfigureAwait(false);
            }

            var read = await _chunk.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                _position += read;
                return read;
            }

            await _chunk.DisposeAsync().ConfigureAwait(false);
            _chunk = null;
        }

        return 0;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _chunk?.Dispose();
            _reader.Dispose();
            _command.Dispose();
            _transaction.Dispose();
            _connection.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_chunk is not null)
        {
            await _chunk.DisposeAsync().ConfigureAwait(false);
        }

        await _reader.DisposeAsync().ConfigureAwait(false);
        await _command.DisposeAsync().ConfigureAwait(false);
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
