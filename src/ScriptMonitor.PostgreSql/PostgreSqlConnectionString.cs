using System.Globalization;
using Npgsql;

namespace ScriptMonitor.PostgreSql;

/// <summary>
/// Reads the connection strings users write: Npgsql's keyword form (<c>Host=db1;Database=scriptmon;…</c>) and the
/// libpq URI form (<c>postgresql://user:secret@db1:5432/scriptmon?sslmode=require</c>), which Npgsql does not parse.
/// Every error names what is wrong and never repeats a password.
/// </summary>
internal static class PostgreSqlConnectionString
{
    private const string ParameterName = "connectionString";

    /// <summary>Npgsql's canonical keyword of the pool's size, as its builder lists the keywords a setting gave.</summary>
    private const string MaxPoolSizeKeyword = "Maximum Pool Size";

    /// <summary>libpq URI query parameters and the Npgsql keywords they mean.</summary>
    private static readonly Dictionary<string, string> LibpqParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["host"] = "Host",
        ["hostaddr"] = "Host",
        ["port"] = "Port",
        ["dbname"] = "Database",
        ["user"] = "Username",
        ["password"] = "Password",
        ["passfile"] = "Passfile",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["options"] = "Options",
        ["sslmode"] = "SSL Mode",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["sslrootcert"] = "Root Certificate",
        ["target_session_attrs"] = "Target Session Attributes",
        ["krbsrvname"] = "Kerberos Service Name",
    };

    /// <summary>libpq's <c>sslmode</c> values and Npgsql's names for them.</summary>
    private static readonly Dictionary<string, string> SslModes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = "Disable",
        ["allow"] = "Allow",
        ["prefer"] = "Prefer",
        ["require"] = "Require",
        ["verify-ca"] = "VerifyCA",
        ["verify-full"] = "VerifyFull",
    };

    internal static bool IsUri(string text) =>
        text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// ScriptMonitor's own setting in either form: the schema that holds the store (<c>Schema=…</c>,
    /// <c>?schema=…</c>), so that a setting alone, such as <c>SCRIPTMON_DATABASE</c>, can name it.
    /// </summary>
    internal const string SchemaKeyword = "schema";

    /// <summary>Parses either form into Npgsql's settings, with ScriptMonitor's defaults filled in; a schema named in it is dropped.</summary>
    /// <exception cref="ArgumentException">The text is empty, malformed, or names no host.</exception>
    internal static NpgsqlConnectionStringBuilder Parse(string connectionString) => ParseWithSchema(connectionString).Settings;

    /// <summary>Seconds of silence on a connection before TCP keepalive probes it (then one probe a second).</summary>
    internal const int TcpKeepAliveSeconds = 5;

    /// <summary>Parses either form into Npgsql's settings, with ScriptMonitor's defaults filled in, and the schema it names.</summary>
    /// <exception cref="ArgumentException">The text is empty, malformed, names no host, or names a schema that breaks the rule of names.</exception>
    internal static (NpgsqlConnectionStringBuilder Settings, string? Schema) ParseWithSchema(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString, ParameterName);
        var text = connectionString.Trim();
        NpgsqlConnectionStringBuilder builder;
        string? schema;
        try
        {
            (builder, schema) = IsUri(text) ? FromUri(text) : FromKeywords(text);
            schema = schema is null ? null : PostgreSqlStoreOptions.ValidSchema(schema, SchemaKeyword);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw Malformed(e.Message, e);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw Malformed("it names no host (Host=… or postgresql://HOST/…).");
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = PostgreSqlStoreOptions.DefaultApplicationName;
        }

        if (!builder.Keys.Cast<string>().Contains(MaxPoolSizeKeyword, StringComparer.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = Math.Max(PostgreSqlStoreOptions.DefaultMaxPoolSize, builder.MinPoolSize);
        }

        // TCP keepalive unless the text says otherwise: a peer that froze or a network that dropped away is noticed in
        // seconds rather than the system's two hours, so a server that leads the alert loop loses its connections, and
        // with them its lease, as soon as it can no longer reach the database.
        var keys = builder.Keys.Cast<string>().ToList();
        if (!keys.Exists(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).StartsWith("TcpKeepAlive", StringComparison.OrdinalIgnoreCase)))
        {
            builder.TcpKeepAlive = true;
            builder.TcpKeepAliveTime = TcpKeepAliveSeconds;
            builder.TcpKeepAliveInterval = 1;
        }

        // The store sets no session state (its one advisory lock ends with its transaction), so a pooled connection
        // needs no DISCARD ALL before its next use: one statement less on every call.
        builder.NoResetOnClose = true;
        return (builder, schema);
    }

    /// <summary>Where the store is, for people: <c>postgresql://user@host:port/database</c>, never the password.</summary>
    internal static string Describe(NpgsqlConnectionStringBuilder builder, string schema)
    {
        var user = string.IsNullOrEmpty(builder.Username) ? string.Empty : builder.Username + "@";
        var description = $"postgresql://{user}{Endpoint(builder)}/{builder.Database}";
        return schema == PostgreSqlStoreOptions.DefaultSchema ? description : $"{description} (schema {schema})";
    }

    /// <summary>The server as people name it: <c>host:port</c>, or the hosts as given when there are several.</summary>
    internal static string Endpoint(NpgsqlConnectionStringBuilder builder) =>
        builder.Host is { } host && (host.Contains(',', StringComparison.Ordinal) || host.StartsWith('/'))
            ? host
            : string.Create(CultureInfo.InvariantCulture, $"{builder.Host}:{builder.Port}");

    /// <summary>Npgsql's keywords, less <see cref="SchemaKeyword"/>, which Npgsql does not know.</summary>
    private static (NpgsqlConnectionStringBuilder Settings, string? Schema) FromKeywords(string text)
    {
        var keywords = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = text };
        if (!keywords.TryGetValue(SchemaKeyword, out var schema))
        {
            return (new NpgsqlConnectionStringBuilder(text), null);
        }

        keywords.Remove(SchemaKeyword);
        return (new NpgsqlConnectionStringBuilder(keywords.ConnectionString), Convert.ToString(schema, CultureInfo.InvariantCulture));
    }

    private static (NpgsqlConnectionStringBuilder Settings, string? Schema) FromUri(string uri)
    {
        var rest = uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var builder = new NpgsqlConnectionStringBuilder();
        string? schema = null;

        var fragment = rest.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            rest = rest[..fragment];
        }

        string? query = null;
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        if (queryStart >= 0)
        {
            query = rest[(queryStart + 1)..];
            rest = rest[..queryStart];
        }

        var pathStart = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = pathStart >= 0 ? rest[..pathStart] : rest;
        if (pathStart >= 0 && rest.Length > pathStart + 1)
        {
            builder.Database = Decode(rest[(pathStart + 1)..], "database name");
        }

        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = colon >= 0 ? userInfo[..colon] : userInfo;
            if (user.Length > 0)
            {
                builder.Username = Decode(user, "user name");
            }

            if (colon >= 0)
            {
                builder.Password = Decode(userInfo[(colon + 1)..], "password");
            }
        }

        if (authority.Length > 0)
        {
            SetHosts(builder, authority);
        }

        if (query is not null)
        {
            foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                schema = SetParameter(builder, pair) ?? schema;
            }
        }

        return (builder, schema);
    }

    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string authority)
    {
        var hosts = authority.Split(',').Select(ParseHost).ToList();
        if (hosts.Any(h => h.Host.Length == 0))
        {
            throw new ArgumentException($"the host list '{authority}' has an empty host.");
        }

        if (hosts.Count == 1)
        {
            builder.Host = hosts[0].Host;
            if (hosts[0].Port is { } port)
            {
                builder.Port = port;
            }

            return;
        }

        builder.Host = string.Join(',', hosts.Select(h => h.Port is { } port ? string.Create(CultureInfo.InvariantCulture, $"{h.Host}:{port}") : h.Host));
    }

    private static (string Host, int? Port) ParseHost(string hostAndPort)
    {
        string host;
        string? port = null;
        if (hostAndPort.StartsWith('['))
        {
            var close = hostAndPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ArgumentException($"the IPv6 address in '{hostAndPort}' has no closing ']'.");
            }

            host = hostAndPort[1..close];
            var after = hostAndPort[(close + 1)..];
            if (after.Length > 0)
            {
                port = after.StartsWith(':') ? after[1..] : throw new ArgumentException($"unexpected '{after}' after the IPv6 address '{host}'.");
            }
        }
        else
        {
            var colon = hostAndPort.LastIndexOf(':');
            host = colon >= 0 ? hostAndPort[..colon] : hostAndPort;
            port = colon >= 0 ? hostAndPort[(colon + 1)..] : null;
        }

        return (Decode(host, "host"), port is null or "" ? null : ParsePort(port));
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new ArgumentException($"the port '{text}' is not a number from 1 to 65535.");

    /// <summary>Sets one query parameter; returns the schema when that is the parameter.</summary>
    private static string? SetParameter(NpgsqlConnectionStringBuilder builder, string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"the query parameter '{pair}' is not NAME=VALUE.");
        }

        var name = Decode(pair[..equals], "parameter name");
        var value = Decode(pair[(equals + 1)..], $"value of '{name}'");
        if (name.Equals(SchemaKeyword, StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }
        if (name.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
        {
            value = SslModes.TryGetValue(value, out var mode)
                ? mode
                : throw new ArgumentException($"sslmode '{value}' is not one of {string.Join(", ", SslModes.Keys)}.");
        }

        if (name.Equals("port", StringComparison.OrdinalIgnoreCase))
        {
            builder.Port = ParsePort(value);
            return null;
        }

        var keyword = LibpqParameters.GetValueOrDefault(name, name);
        try
        {
            builder[keyword] = value;
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"the query parameter '{name}' is neither a libpq parameter ScriptMonitor understands nor a valid Npgsql setting ({e.Message})", e);
        }

        return null;
    }

    private static string Decode(string text, string what)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException e)
        {
            throw new ArgumentException($"the {what} is not validly percent-encoded.", e);
        }
    }

    private static ArgumentException Malformed(string reason, Exception? cause = null) =>
        new($"The PostgreSQL connection string is malformed: {reason.TrimEnd('.')}. Give keywords (Host=db1;Port=5432;Database=scriptmon;Username=…) or a URI (postgresql://user:password@db1:5432/scriptmon).", ParameterName, cause);
}
