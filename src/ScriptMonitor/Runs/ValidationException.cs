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
/// <param name="Path">The field, as the library names it: <c>name</c>, <c>run.CompletedAt</c>, <c>expectation.Hosts[2]</c>.</param>
/// <param name="Rule">A short stable key of the rule (<c>length</c>, <c>control-characters</c>, <c>not-before-start</c>), for machines.</param>
/// <param name="Message">The sentence, naming the field by <paramref name="Path"/>.</param>
public sealed record FieldError(string Path, string Rule, string Message);
