namespace Suite.AppHost.Orchestration;

/// <summary>
/// The AppHost's one output: every process's lines with its name in front, padded so the lines
/// align, and coloured per name when stdout is a terminal.
/// </summary>
internal sealed class ConsoleLog
{
    public const string AppHostName = "apphost";
    private const string Reset = "\u001b[0m";
    private static readonly string[] Palette =
        ["\u001b[36m", "\u001b[33m", "\u001b[35m", "\u001b[32m", "\u001b[34m", "\u001b[96m", "\u001b[93m", "\u001b[95m"];

    private readonly TextWriter _output;
    private readonly bool _useColor;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _colors = new(StringComparer.Ordinal);
    private int _width = AppHostName.Length;

    public ConsoleLog(TextWriter output, bool useColor)
    {
        _output = output;
        _useColor = useColor;
    }

    /// <summary>Colour only on a terminal, and never when NO_COLOR is set (no-color.org).</summary>
    public static ConsoleLog ForConsole() =>
        new(Console.Out, !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));

    /// <summary>Makes room for these names, so that lines align from the first one on.</summary>
    public void Register(IEnumerable<string> names)
    {
        lock (_gate)
        {
            foreach (var name in names)
                _width = Math.Max(_width, name.Length);
        }
    }

    public void Write(string name, string line)
    {
        lock (_gate)
        {
            string? color = null;
            if (_useColor && !_colors.TryGetValue(name, out color))
                _colors[name] = color = name == AppHostName ? "\u001b[1m" : Palette[_colors.Count % Palette.Length];
            _output.WriteLine(Format(name, line, _width, color));
            _output.Flush();
        }
    }

    /// <summary>A line from the AppHost itself.</summary>
    public void Info(string line) => Write(AppHostName, line);

    /// <summary>A sink for one process's lines.</summary>
    public Action<string> For(string name) => line => Write(name, line);

    /// <summary><c>"redis    | line"</c>, with the name and bar coloured when <paramref name="color"/> is given.</summary>
    public static string Format(string name, string line, int width, string? color = null)
    {
        var prefix = $"{name.PadRight(width)} |";
        line = line.TrimEnd('\r');
        return color is null ? $"{prefix} {line}" : $"{color}{prefix}{Reset} {line}";
    }
}
