using System.Buffers.Text;
using System.Text;

namespace Suite.Redis.Protocol;

/// <summary>
/// Encodes one command as a RESP array of bulk strings. Each thread reuses one buffer: a command is
/// encoded here and copied into the connection's output under its lock, so the lock is held only
/// for a copy. The array header is written last, into room kept free in front of the arguments.
/// </summary>
internal sealed class CommandBuffer
{
    private const int HeaderRoom = 16;
    private const int KeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static CommandBuffer? t_cached;

    private byte[] _buffer = new byte[1024];
    private int _end;
    private int _count;

    /// <summary>The command as written in errors, e.g. <c>GET</c> or <c>XGROUP CREATE</c>.</summary>
    public string Name { get; private set; } = "";

    /// <summary>Starts a command; a name with a space (<c>XGROUP CREATE</c>) is sent as two words.</summary>
    public static CommandBuffer Start(string command)
    {
        var buffer = t_cached ?? new CommandBuffer();
        t_cached = null;
        buffer._end = HeaderRoom;
        buffer._count = 0;
        buffer.Name = command;
        var words = command.AsSpan();
        var space = words.IndexOf(' ');
        if (space < 0)
        {
            buffer.AddAscii(words);
        }
        else
        {
            buffer.AddAscii(words[..space]);
            buffer.AddAscii(words[(space + 1)..]);
        }
        return buffer;
    }

    /// <summary>Gives the buffer back to this thread for the next command.</summary>
    public void Return()
    {
        if (_buffer.Length > KeptCapacity)
            _buffer = new byte[1024];
        t_cached = this;
    }

    public int Count => _count;

    public void Add(RedisKey key)
    {
        if (key.Text is { } text)
            Add(text);
        else
            Add(key.Bytes.Span);
    }

    public void Add(RedisValue value)
    {
        var length = value.GetByteCount();
        var span = BeginBulk(length);
        value.WriteTo(span);
        EndBulk(length);
    }

    public void Add(string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        Encoding.UTF8.GetBytes(text, BeginBulk(length));
        EndBulk(length);
    }

    public void Add(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(BeginBulk(bytes.Length));
        EndBulk(bytes.Length);
    }

    public void Add(long number)
    {
        var length = RespNumbers.DigitCount(number);
        Utf8Formatter.TryFormat(number, BeginBulk(length), out _);
        EndBulk(length);
    }

    public void AddAscii(ReadOnlySpan<char> word)
    {
        Encoding.ASCII.GetBytes(word, BeginBulk(word.Length));
        EndBulk(word.Length);
    }

    /// <summary>The finished command, array header included.</summary>
    public ReadOnlySpan<byte> Encoded
    {
        get
        {
            // "*<count>\r\n" goes right in front of the first argument.
            var digits = RespNumbers.DigitCount(_count);
            var start = HeaderRoom - digits - 3;
            _buffer[start] = (byte)'*';
            Utf8Formatter.TryFormat(_count, _buffer.AsSpan(start + 1), out _);
            _buffer[HeaderRoom - 2] = (byte)'\r';
            _buffer[HeaderRoom - 1] = (byte)'\n';
            return _buffer.AsSpan(start, _end - start);
        }
    }

    /// <summary>Writes <c>$len\r\n</c> and returns the room for the bytes that follow.</summary>
    private Span<byte> BeginBulk(int length)
    {
        Ensure(length + 16);
        var span = _buffer.AsSpan(_end);
        span[0] = (byte)'$';
        Utf8Formatter.TryFormat(length, span[1..], out var digits);
        span[1 + digits] = (byte)'\r';
        span[2 + digits] = (byte)'\n';
        _end += 3 + digits;
        return _buffer.AsSpan(_end, length);
    }

    private void EndBulk(int length)
    {
        _end += length;
        _buffer[_end++] = (byte)'\r';
        _buffer[_end++] = (byte)'\n';
        _count++;
    }

    private void Ensure(int extra)
    {
        if (_end + extra <= _buffer.Length)
            return;
        var grown = new byte[Math.Max(_buffer.Length * 2, _end + extra)];
        _buffer.AsSpan(0, _end).CopyTo(grown);
        _buffer = grown;
    }
}
