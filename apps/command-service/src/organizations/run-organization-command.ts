import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor, OrganizationCommand } from '#libs/domain';
import type { EventActor, Position } from '#libs/event-store';
import { CommandExecutor, type CommandTrace } from '../infrastructure/command-executor.js';
import type { IdempotencyClaim } from '../infrastructure/recent-commands.js';
import { organizationAggregate } from './aggregates.js';

/** Runs one organization command: one decision, one atomic append to the organization's stream. */
export class RunOrganizationCommand {
  constructor(
    readonly organizationId: string,
    readonly command: OrganizationCommand,
    readonly correlationId: string,
    readonly idempotency?: IdempotencyClaim,
  ) {}
}

export interface CommandResult {
  /** Global position of the last event appended (R35). */
  position: Position;
  events: { id: string; type: string }[];
}

@CommandHandler(RunOrganizationCommand)
export class RunOrganizationCommandHandler implements ICommandHandler<
  RunOrganizationCommand,
  CommandResult & { replayed: boolean }
> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({
    organizationId,
    command,
    correlationId,
    idempotency,
  }: RunOrganizationCommand): Promise<CommandResult & { replayed: boolean }> {
    const trace: CommandTrace = {
      organizationId,
      actor: eventActorOf(command.metadata.actor),
      correlationId,
      causationId: correlationId,
      idempotency,
    };
    // Cascades (R1's Default workspace, R9's invitee in it, R11, R19) are events of the same
    // decision, so they are durable together with their cause or not at all.
    const outcome = await this.executor.execute(
      organizationAggregate,
      organizationId,
      command,
      trace,
    );
    return {
      position: outcome.position,
      events: outcome.events,
      replayed: outcome.replayed,
    };
  }
}

/** The actor recorded on events (R32): members by their identity-provider subject. */
export function eventActorOf(actor: Actor): EventActor {
  switch (actor.type) {
    case 'user':
      return { type: 'user', id: actor.subject };
    case 'api_key':
      return { type: 'api_key', id: actor.keyId };
    default:
      return { type: actor.type, id: actor.id };
  }
}
