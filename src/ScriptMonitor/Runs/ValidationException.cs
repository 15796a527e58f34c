namespace ScriptMonitor.Runs;

/// <summary>
/// Input that breaks a rule, refused before anything is written. Besides the sentence of <see cref="Exception.Message"/>,
/// it carries each broken rule as a <see cref="FieldError"/> with the path of the field, so that a front end can name the
/// field the way its user typed it (a command-line option, a JSON property) without rewriting the message.
/// </summary>
public sealed class ValidationException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public ValidationException()
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The sentence.</param>
    public ValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The sentence.</param>
    /// <param name="innerException">The cause.</param>
    public ValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Creates the exception for broken rules; the message joins theirs.</summary>
    /// <param name="errors">The broken rules; at least one.</param>
    public ValidationException(IReadOnlyList<FieldError> errors)
        : base(Join(errors), First(errors).Path)
    {
        Errors = errors;
    }

    /// <summary>Every rule the input broke, in the order found.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>The exception for one broken rule.</summary>
    internal static ValidationException Of(string path, string rule, string message) => new([new FieldError(path, rule, message)]);

    private static FieldError First(IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count > 0 ? errors[0] : throw new ArgumentException("At least one field error is needed.", nameof(errors));
    }

    private static string Join(IReadOnlyList<FieldError> errors)
    {
        First(errors);
        return string.Join(" ", errors.Select(e => e.Message));
    }
}

/// <summary>One broken rule of a field.</summary>
/// <param name="Path">
/// The field, as the library names it: a parameter (<c>name</c>, <c>completedAt</c>) or a member path of an argument
/// (<c>run.CompletedAt</c>, <c>query.Limit</c>, <c>expectation.Hosts.MinimumCount</c>, <c>expectation.Tags[2]</c>, an
/// index into the list as the argument holds it).
/// </param>
/// <param name="Rule">A short stable key of the rule (<see cref="FieldRules"/>), for machines.</param>
/// <param name="Message">A sentence that begins with <paramref name="Path"/>.</param>
public sealed record FieldError(string Path, string Rule, string Message)
{
    /// <summary>
    /// The other field a rule between two fields holds this one against (<c>expectation.MaxRuntime</c> for
    /// <c>expectation.MinRuntime</c>), named once in <see cref="Message"/>; null for a rule of one field.
    /// </summary>
    public string? OtherPath { get; init; }

    /// <summary>
    /// The message with its fields named the way a front end's user knows them (a command-line option, a JSON
    /// property): <see cref="Path"/> at its start, and <see cref="OtherPath"/> where it is named.
    /// </summary>
    /// <param name="name">The front end's name of a library path; return the path itself to keep it.</param>
    public string Describe(Func<string, string> name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Message.StartsWith(Path, StringComparison.Ordinal))
        {
            return Message;
        }

        var rest = Message[Path.Length..];
        var other = OtherPath is null ? -1 : rest.IndexOf(OtherPath, StringComparison.Ordinal);
        return other < 0
            ? name(Path) + rest
            : string.Concat(name(Path), rest[..other], name(OtherPath!), rest[(other + OtherPath!.Length)..]);
    }
}
