using ScriptMonitor.Runs;

namespace ScriptMonitor.Access;

/// <summary>
/// The rules of keys and audit entries every store applies before anything is written. A broken rule is a
/// <see cref="ValidationException"/> naming the field by its path (<c>key.Name</c>, <c>key.ScriptPatterns[1]</c>,
/// <c>entry.Detail</c>); every broken field of one key or entry is reported at once.
/// </summary>
public static class KeyValidation
{
    /// <summary>The most characters a key's name (and an actor, which is a key's name or <c>cli</c>) may hold.</summary>
    public const int MaxNameLength = 100;

    /// <summary>How many characters a key's id has.</summary>
    public const int IdLength = 8;

    /// <summary>How many bytes a secret's hash has: SHA-256.</summary>
    public const int SecretHashLength = 32;

    /// <summary>The most script patterns one ingest key may hold.</summary>
    public const int MaxScriptPatterns = 100;

    /// <summary>The characters of a key's id: lower-case base32, so that an id reads and types without ambiguity of case.</summary>
    public const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>A key's name, checked: 1 to <see cref="MaxNameLength"/> characters by the rules of a script's name.</summary>
    /// <param name="value">The name as given.</param>
    /// <param name="path">The field's path in the caller's terms, for the error.</param>
    /// <exception cref="ValidationException">The name breaks a rule; the error names <paramref name="path"/> and the rule.</exception>
    public static string Name(string? value, string path) => NameError(value, path, "key name") is { } error ? throw new ValidationException([error]) : value!;

    /// <summary>A new key, checked, with its instant normalized to UTC microseconds.</summary>
    internal static ApiKey NewKey(ApiKey key, byte[] secretHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        var errors = new FieldErrorList();
        errors.Add(IdError(key.Id, "key.Id"));
        errors.Add(NameError(key.Name, "key.Name", "key name"));
        errors.Add(Enum.IsDefined(key.Scope) ? null : new FieldError("key.Scope", FieldRules.Scope, "key.Scope must be Ingest, Read or Admin."));
        PatternErrors(key, errors);
        errors.Add(RunValidation.InstantError(key.CreatedAt, "key.CreatedAt", now));
        errors.Add(NameError(key.CreatedBy, "key.CreatedBy", "key name or 'cli'"));
        errors.Add(key.RevokedAt is null ? null : new FieldError("key.RevokedAt", FieldRules.AddedActive, "key.RevokedAt must not be given: a key is added active."));
        errors.Add(secretHash is { Length: SecretHashLength } ? null : new FieldError("secretHash", FieldRules.Length, $"secretHash must be {SecretHashLength} bytes, the SHA-256 hash of the key (it is {secretHash?.Length ?? 0})."));
        errors.ThrowIfAny();
        return key with { CreatedAt = Timestamps.Normalize(key.CreatedAt), ScriptPatterns = [.. key.ScriptPatterns] };
    }

    /// <summary>An audit entry, checked, with its instant normalized to UTC microseconds.</summary>
    internal static AuditEntry Entry(AuditEntry entry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var errors = new FieldErrorList();
        errors.Add(RunValidation.InstantError(entry.At, "entry.At", now));
        errors.Add(NameError(entry.Actor, "entry.Actor", "key name or 'cli'"));
        errors.Add(ActionError(entry.Action, "entry.Action"));
        errors.Add(RunValidation.IdentifierError(entry.Target, "entry.Target", "name"));
        errors.Add(entry.Detail is { Length: > AuditEntry.MaxDetailLength }
            ? new FieldError("entry.Detail", FieldRules.Length, $"entry.Detail must be at most {AuditEntry.MaxDetailLength} characters long (it is {entry.Detail.Length}).")
            : null);
        errors.ThrowIfAny();
        return entry with { At = Timestamps.Normalize(entry.At) };
    }

    /// <summary>The broken rule of who acts (a key's name or <c>cli</c>), or null when it is a valid one.</summary>
    internal static FieldError? ActorError(string? value, string path) => NameError(value, path, "key name or 'cli'");

    /// <summary>Detail of an entry the store words itself, cut to what an entry holds.</summary>
    internal static string Detail(string detail) => detail.Length <= AuditEntry.MaxDetailLength ? detail : detail[..(AuditEntry.MaxDetailLength - 1)] + "…";

    private static FieldError? NameError(string? value, string path, string what) =>
        value is { Length: > MaxNameLength }
            ? new FieldError(path, FieldRules.Length, $"{path} must be 1 to {MaxNameLength} characters long (it is {value.Length}).")
            : RunValidation.IdentifierError(value, path, what);

    private static FieldError? IdError(string? value, string path) =>
        value is { Length: IdLength } && value.All(c => IdAlphabet.Contains(c, StringComparison.Ordinal))
            ? null
            : new FieldError(path, FieldRules.KeyId, $"{path} must be {IdLength} characters of '{IdAlphabet}'.");

    private static FieldError? ActionError(string? value, string path) =>
        value is { Length: > 0 and <= AuditEntry.MaxActionLength } && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_')
            ? null
            : new FieldError(path, FieldRules.AuditAction, $"{path} must be 1 to {AuditEntry.MaxActionLength} characters of a-z, 0-9, '.', '-' and '_' (such as 'key.create').");

    private static void PatternErrors(ApiKey key, FieldErrorList errors)
    {
        if (key.ScriptPatterns is null)
        {
            errors.Add(new FieldError("key.ScriptPatterns", FieldRules.Required, "key.ScriptPatterns must be given; empty for every script."));
            return;
        }

        if (key.ScriptPatterns.Count > 0 && key.Scope != KeyScope.Ingest)
        {
            errors.Add(new FieldError("key.ScriptPatterns", FieldRules.OnlyForIngest, "key.ScriptPatterns may be given only for an ingest key; a read or admin key covers every script."));
            return;
        }

        if (key.ScriptPatterns.Count > MaxScriptPatterns)
        {
            errors.Add(new FieldError("key.ScriptPatterns", FieldRules.Count, $"key.ScriptPatterns must hold at most {MaxScriptPatterns} patterns (it holds {key.ScriptPatterns.Count})."));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < key.ScriptPatterns.Count; i++)
        {
            var path = $"key.ScriptPatterns[{i}]";
            var pattern = key.ScriptPatterns[i];
            if (!errors.Add(RunValidation.IdentifierError(pattern, path, "script name pattern")) && !seen.Add(pattern))
            {
                errors.Add(new FieldError(path, FieldRules.Duplicate, $"{path} ('{pattern}') is given twice."));
            }
        }
    }
}
