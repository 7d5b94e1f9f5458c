using System.CommandLine;
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
        var days = new Option<int>("--days") { HelpName = "N", Description = "events fall in the N days before 2026-11-01", DefaultValueFactory = _ => defaults.Days };
        var seed = new Option<int>("--seed") { HelpName = "N", Description = "random seed: the same seed gives the same shop", DefaultValueFactory = _ => defaults.Seed };
        var output = new Option<string>("--out", "-o") { HelpName = "DIR", Description = "folder to write events.csv and items.csv into", Required = true };
        var command = new Command("generate", "Write a synthetic shop: items in categories with power-law popularity, users with tastes, view/cart/purchase events.")
        {
            users, items, categories, views, days, seed, output,
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
                    Days = parse.GetValue(days),
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
}
