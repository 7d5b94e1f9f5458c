using System.CommandLine;
using System.Globalization;
using Fresco.Core.Data.Synthetic;

namespace Fresco.Cli.Commands;

/// <summary>`fresco generate`: writes a seeded synthetic shop (catalog and events) for demos and load tests.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var defaults = new ShopOptions();
        var users = new Option<int>("--users") { HelpName = "N", Description = "number of users", DefaultValueFactory = _ => defaults.Users };
        var items = new Option<int>("--items") { HelpName = "N", Description = "number of items", DefaultValueFactory = _ => defaults.Items };
        var categories = new Option<int>("--categories") { HelpName = "N", Description = "number of categories", DefaultValueFactory = _ => defaults.Categories };
        var views = new Option<double>("--views-per-user") { HelpName = "N", Description = "mean product views per user", DefaultValueFactory = _ => defaults.ViewsPerUser };
        var days = new Option<int?>("--days") { HelpName = "N", Description = "events fall in the N days before --end (default 30)" };
        var span = new Option<TimeSpan?>("--span") { HelpName = "TIME", Description = "events fall in this time span before --end (d.hh:mm:ss), instead of --days" };
        var end = new Option<string>("--end")
        {
            HelpName = "TIME",
            Description = "the last instant of the shop: ISO 8601 or 'now'",
            DefaultValueFactory = _ => defaults.End.ToString("O", CultureInfo.InvariantCulture),
        };
        var seed = new Option<int>("--seed") { HelpName = "N", Description = "random seed: the same seed gives the same shop", DefaultValueFactory = _ => defaults.Seed };
        var output = new Option<string>("--out", "-o") { HelpName = "DIR", Description = "folder to write events.csv and items.csv into", Required = true };
        var command = new Command("generate", "Write a synthetic shop: items in categories with power-law popularity, users with tastes, view/cart/purchase events.")
        {
            users, items, categories, views, days, span, end, seed, output,
        };
        command.SetAction(parse => CliAction.Run(() =>
        {
            ShopOptions options;
            try
            {
                options = new ShopOptions
                {
                    Users = parse.GetValue(users),
                    Items = parse.GetValue(items),
                    Categories = parse.GetValue(categories),
                    ViewsPerUser = parse.GetValue(views),
                    Span = Span(parse.GetValue(days), parse.GetValue(span)) ?? defaults.Span,
                    End = End(parse.GetValue(end)!),
                    Seed = parse.GetValue(seed),
                };
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new Core.Models.OptionException(e.Message);
            }
            var shop = ShopGenerator.Generate(options);
            var folder = parse.GetValue(output)!;
            ShopWriter.Write(shop, folder);
            Console.Out.WriteLine($"wrote {shop.Items.Count} items and {shop.Events.Count} events ({options.Users} users) to {folder}");
            return CliAction.Ok;
        }));
        return command;
    }

    private static TimeSpan? Span(int? days, TimeSpan? span) => (days, span) switch
    {
        ({ }, { }) => throw new ArgumentException("give --days or --span, not both"),
        ({ } d, null) => d >= 1 ? TimeSpan.FromDays(d) : throw new ArgumentException("--days must be at least 1"),
        _ => span,
    };

    private static DateTimeOffset End(string value) =>
        value == "now" ? DateTimeOffset.UtcNow
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end) ? end
        : throw new ArgumentException($"--end '{value}' is neither ISO 8601 nor 'now'");
}
