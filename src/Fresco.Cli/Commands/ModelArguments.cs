using System.CommandLine;
using Fresco.Core.Models;
using Fresco.Models;

namespace Fresco.Cli.Commands;

/// <summary>The --model and --set options and how they become validated model options.</summary>
internal sealed class ModelArguments
{
    private readonly Option<string> _model = new("--model")
    {
        HelpName = "MODEL",
        Description = $"model: {string.Join(", ", ModelCatalog.All.Select(d => d.Name))} (eval also takes auto)",
        Required = true,
    };

    private readonly Option<string[]> _set = new("--set")
    {
        HelpName = "NAME=VALUE",
        Description = "a model option, name=value (repeatable); an unknown name lists the valid ones",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_model);
        command.Options.Add(_set);
    }

    public string ModelName(ParseResult parse) => ModelCatalog.Get(parse.GetValue(_model)!).Name;

    /// <summary>Whether --model is <c>auto</c> (a search of the model kinds, which eval accepts).</summary>
    public bool IsAuto(ParseResult parse) => string.Equals(parse.GetValue(_model), "auto", StringComparison.OrdinalIgnoreCase);

    /// <summary>The --set assignments as given (with auto they apply to every kind, so only threads and seed fit all).</summary>
    public IReadOnlyList<string> Assignments(ParseResult parse) => parse.GetValue(_set) ?? [];

    public ModelOptions Options(ParseResult parse) => ModelCatalog.CreateOptions(ModelName(parse), parse.GetValue(_set) ?? []);
}
