//! `fucai rules <game> [--draw <期号>]`.

use clap::Args;
use fucai_games::{DrawNumber, FloatingRule, Game, RuleBook, RuleVersion};

use crate::error::CliError;

#[derive(Args)]
pub struct RulesArgs {
    /// ssq, fc3d, qlc or kl8; or instant (即开票) or vlt (中福在线).
    pub game: String,
    /// Draw number (期号); the newest rule set when absent.
    #[arg(long)]
    pub draw: Option<String>,
}

/// Resolves the game and the rule version for a draw, with errors naming the field.
pub fn resolve(
    game: &str,
    draw: Option<&str>,
) -> Result<(Game, Option<DrawNumber>, &'static RuleVersion), CliError> {
    let game: Game = game.parse().map_err(|e| CliError::input("game", e))?;
    let draw = draw
        .map(|d| d.parse::<DrawNumber>())
        .transpose()
        .map_err(|e| CliError::input("--draw", e))?;
    let version = RuleBook::standard()
        .version_for(game, draw)
        .ok_or_else(|| {
            CliError::input(
                "--draw",
                format!(
                    "no {} rule set covers draw {}",
                    game.name(),
                    draw.map(|d| d.to_string()).unwrap_or_default()
                ),
            )
        })?;
    Ok((game, draw, version))
}

/// The 中福在线 channel's rule data.
fn print_vlt() {
    let v = &fucai_app::channel_rules().vlt;
    println!("{} (vlt) — video-lottery halls", v.name);
    println!(
        "fund split of the amount wagered: 奖金 {} / 发行费 {} (of which the hall {}) / 公益金 {}",
        v.split.prize, v.split.issuance_fee, v.hall_commission, v.split.welfare
    );
    println!("  [{}]", v.source);
}

/// The 即开票 channel's rule data: its split and every game with its prize group.
fn print_instant() {
    let rules = fucai_app::instant::instant_rules();
    let c = &rules.channel;
    println!(
        "{} (instant) — fund split: 奖金 {} / 发行费 {} / 公益金 {}",
        c.name, c.split.prize, c.split.issuance_fee, c.split.welfare
    );
    println!("  [{}]", c.source);
    for g in &rules.game {
        println!();
        println!(
            "{} {}: {} a ticket, {} tickets a pack, {} packs a box; prize group {} tickets",
            g.code, g.name, g.face_value, g.tickets_per_pack, g.packs_per_box, g.group_tickets
        );
        println!(
            "  sales on {:?}; settles when {} of its winners up to {} are paid or {} days after activation; commission {} on sales, {} on prizes paid; on sale {} to {}",
            g.sales_on, g.settle_share, g.low_tier_max, g.settle_days, g.sales_commission, g.claim_commission, g.sale_from, g.game_end
        );
        for p in &g.prizes {
            println!("  {:>12} × {} a group", p.amount.to_string(), p.count);
        }
        let batches: Vec<String> = g
            .batches
            .iter()
            .map(|b| format!("{} ({} packs)", b.number, b.packs))
            .collect();
        println!("  batches: {}", batches.join(", "));
    }
}

pub fn run(args: &RulesArgs) -> Result<(), CliError> {
    match args.game.as_str() {
        "vlt" => {
            print_vlt();
            return Ok(());
        }
        "instant" => {
            print_instant();
            return Ok(());
        }
        _ => {}
    }
    let (game, draw, v) = resolve(&args.game, args.draw.as_deref())?;
    let rules = RuleBook::standard().game(game);
    println!("{} ({}) — rule set {}", rules.name, game.code(), v.id);
    println!("{}", v.title);
    match draw {
        Some(d) => println!("in force for draw {d} (from draw {})", v.from_draw),
        None => println!("newest rule set, in force from draw {}", v.from_draw),
    }
    println!();
    println!(
        "price {} per bet; multiple 1–{}; at most {} per ticket",
        rules.price.0, rules.max_multiple, rules.max_ticket.0
    );
    println!("  [{}]", rules.limits_status);
    let s = &v.split;
    println!(
        "fund split: 当期奖金 {} + 调节基金 {} / 发行费 {} / 公益金 {}",
        s.prize_current, s.adjustment, s.issuance_fee, s.welfare
    );
    println!("  [{}]", s.status);
    println!();
    print_tiers(game, v);
    if let Some(floating) = &v.floating {
        println!();
        print_floating(floating);
    }
    if !v.assumptions.is_empty() {
        println!();
        println!("demo assumptions and open points:");
        for a in &v.assumptions {
            println!("  - {a}");
        }
    }
    if !v.sources.is_empty() {
        println!();
        println!("sources: {} (docs/RULES.md)", v.sources.join(", "));
    }
    Ok(())
}

fn print_tiers(game: Game, v: &RuleVersion) {
    if game == Game::Kl8 {
        println!("prizes per bet (中N = N hits):");
        for play in &v.plays {
            let mut entries: Vec<(u8, String)> = play
                .prizes
                .iter()
                .map(|(hits, prize)| {
                    let amount = match prize {
                        fucai_games::Kl8Prize::Fixed(m) => m.to_string(),
                        fucai_games::Kl8Prize::Floating => "floating".into(),
                    };
                    (hits.parse().unwrap_or(0), amount)
                })
                .collect();
            entries.sort_by_key(|e| std::cmp::Reverse(e.0));
            let text: Vec<String> = entries.iter().map(|(h, a)| format!("中{h} {a}")).collect();
            println!("  x{:<2} {}", play.spot, text.join(", "));
        }
        return;
    }
    println!("tiers:");
    for t in &v.tiers {
        let prize = match t.prize {
            Some(p) => p.0.to_string(),
            None => "floating".into(),
        };
        println!(
            "  {:<4} {:<6} {:<28} {:<14} [{}]",
            t.key, t.name, t.matches, prize, t.status
        );
    }
}

fn print_floating(floating: &FloatingRule) {
    match floating {
        FloatingRule::Ssq(r) => {
            println!("floating tiers (一等/二等奖 from 高等奖奖金 = 当期奖金 − fixed tiers):");
            println!(
                "  pool < {}: 一等 {} + pool, 二等 {}",
                r.pool_threshold.0, r.below_first, r.below_second
            );
            println!(
                "  pool ≥ {}: 一等 ({} + pool) + {}, 二等 {}",
                r.pool_threshold.0, r.above_first_a, r.above_first_b, r.above_second
            );
            println!(
                "  cap {} per bet and part; per-bet amounts floored to 元, remainders to 调节基金",
                r.per_bet_cap.0
            );
            if let (Some(a), Some(b)) = (r.first_total_cap, r.second_total_cap) {
                println!(
                    "  per-draw totals capped: 一等 {}, 二等 {}; excess to the pool",
                    a.0, b.0
                );
            }
            println!(
                "  一等 < 二等 → both merged; 二等 topped up to {} × 三等奖",
                r.second_floor_times_third
            );
            if let Some(fy) = &r.fuyun {
                println!(
                    "  福运奖 special period: starts when the pool after a draw ≥ {}, stops when it is < {}",
                    fy.start_pool.0, fy.stop_below.0
                );
                for p in &fy.observed {
                    println!("    observed active: {} – {}", p.from, p.to);
                }
            }
            println!("  [{}]", r.status);
        }
        FloatingRule::Qlc(r) => {
            println!(
                "floating tiers: 一等 {} + pool, 二等 {}, 三等 {} of 高奖等奖金; cap {} per bet",
                r.first, r.second, r.third, r.per_bet_cap.0
            );
            println!(
                "  each floating tier topped up to {} × the tier below",
                r.top_up_times_next
            );
            println!("  [{}]", r.status);
        }
        FloatingRule::Kl8(r) => {
            println!(
                "floating pool: {} of sales, {} guaranteed per tier",
                r.pool_share, r.guaranteed_min.0
            );
            for t in &r.tiers {
                println!(
                    "  选{}中{}: cap {} per bet",
                    t.spot, t.hits, t.per_bet_cap.0
                );
            }
            println!("  [{}]", r.status);
        }
    }
}
