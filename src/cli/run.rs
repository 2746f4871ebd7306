//! What each subcommand does.
use super::{
    Cli, CodebookCommand, Command, ConsultationsCommand, FixturesCommand, ResponsesCommand, data,
    users,
};
use crate::catalogue::read_definition;
use crate::startup::{Application, Settings};
use crate::storage::{Store, StoreOptions};
use crate::web::client_address::ClientAddress;
use std::process::ExitCode;

fn client_address(args: &super::ServeArgs) -> ClientAddress {
    let proxies = args.trusted_proxies;
    if args.trust_forwarded_header {
        ClientAddress::Forwarded { proxies }
    } else if args.trust_forwarded_for {
        ClientAddress::XForwardedFor { proxies }
    } else {
        ClientAddress::Peer
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => {
            let client_address = client_address(&args);
            let settings = Settings {
                bind: args.bind,
                database: cli.database,
                consultations: args.consultations.dir,
                frontend: args.frontend,
                db_pool_size: args.db_pool_size,
                limits: crate::web::limits::LimitSettings {
                    submissions_per_minute: args.rate_limit_submissions,
                    sign_ins_per_minute: args.rate_limit_sign_in,
                    client_address,
                },
                public_url: args.public_url,
            };
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(settings).await?;
                tracing::info!(port = app.port(), "consult is listening");
                app.run_until_stopped().await?;
                Ok::<_, anyhow::Error>(())
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Consultations(ConsultationsCommand::Validate { files }) => {
            let mut ok = true;
            for file in files {
                match read_definition(&file) {
                    Ok(c) => println!(
                        "{}: ok ({}, {} questions)",
                        file.display(),
                        c.slug,
                        c.questions().count()
                    ),
                    Err(e) => {
                        ok = false;
                        println!("{e}");
                    }
                }
            }
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Migrate => {
            let store = Store::connect(&cli.database, 1)?;
            let applied = store.migrate()?;
            for version in &applied {
                println!("applied {version}");
            }
            println!(
                "{}: schema is current ({} migration(s) applied now)",
                store.url(),
                applied.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Copy { from, to } => {
            let source = Store::open(&from)?;
            let target = Store::open_with(
                &to,
                StoreOptions {
                    migrate: Some(true),
                    ..StoreOptions::default()
                },
            )?;
            let counts = source.copy_into(&target)?;
            println!("copied {} → {}", source.url(), target.url());
            for (table, n) in counts {
                println!("{table}\t{n} rows\tmatch");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Fixtures(FixturesCommand::Generate {
            seed,
            n,
            profile,
            consultations,
            out,
            into_database,
        }) => {
            let (definition, profile) = data::profile(&profile, &consultations.dir)?;
            if into_database {
                data::generate_into(
                    &cli.database,
                    &consultations.dir,
                    &definition,
                    &profile,
                    seed,
                    n,
                )?;
            } else {
                data::generate(&definition, &profile, seed, n, out.as_deref())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Responses(ResponsesCommand::Import {
            file,
            consultation,
            consultations,
        }) => {
            data::import(
                &cli.database,
                &file,
                consultation.as_deref(),
                &consultations.dir,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Codebook(CodebookCommand::Load {
            file,
            code,
            question,
            consultations,
        }) => {
            let only = question.as_deref();
            super::codebook::load(&cli.database, &file, code, only, &consultations.dir)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            consultation,
            format,
            k,
            identified,
            out,
            consultations,
        } => {
            data::export(
                &cli.database,
                &consultation,
                &format,
                k,
                identified,
                &out,
                &consultations.dir,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Retention(super::RetentionCommand::Run {
            as_of,
            consultations,
        }) => {
            data::retention(&cli.database, as_of.as_deref(), &consultations.dir)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Invitations(super::InvitationsCommand::Create {
            consultation,
            emails,
            base_url,
            consultations,
        }) => {
            users::invite(
                &cli.database,
                &consultation,
                &emails,
                &base_url,
                &consultations.dir,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Users(command) => {
            users::run(&cli.database, command)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            consultation,
            out,
            by,
            consultations,
        } => {
            data::report(&cli.database, &consultation, &out, &by, &consultations.dir)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Consultations(ConsultationsCommand::List) => {
            let store = Store::open(&cli.database)?;
            for c in store.list_consultations()? {
                println!(
                    "{}\tversion {}\t{} responses\t{}",
                    c.slug, c.version, c.responses, c.title
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
