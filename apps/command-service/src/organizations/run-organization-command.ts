import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { followUpsOf, type Actor, type OrganizationCommand } from '#libs/domain';
import type { EventActor, Position } from '#libs/event-store';
import { comparePositions } from '#libs/event-store';
import { CommandExecutor, type CommandTrace } from '../infrastructure/command-executor.js';
import { organizationAggregate, workspaceAggregate } from './aggregates.js';

/** Runs one organization command and the follow-ups its events cause. */
export class RunOrganizationCommand {
  constructor(
    readonly organizationId: string,
    readonly command: OrganizationCommand,
    readonly correlationId: string,
  ) {}
}

export interface CommandResult {
  /** Global position of the last event appended, follow-ups included (R35). */
  position: Position;
  events: { id: string; type: string }[];
}

@CommandHandler(RunOrganizationCommand)
export class RunOrganizationCommandHandler implements ICommandHandler<
  RunOrganizationCommand,
  CommandResult
> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({
    organizationId,
    command,
    correlationId,
  }: RunOrganizationCommand): Promise<CommandResult> {
    const trace: CommandTrace = {
      organizationId,
      actor: eventActorOf(command.metadata.actor),
      correlationId,
      causationId: correlationId,
    };
    const outcome = await this.executor.execute(
      organizationAggregate,
      organizationId,
      command,
      trace,
    );
    let position = outcome.position;
    const events: CommandResult['events'] = outcome.events.map(({ id, type }) => ({ id, type }));
    // Follow-ups (R1's Default workspace, R9's invitee in it) run once the cause is durable,
    // each with the cause's event id as causation id (ADR 3).
    for (const cause of outcome.events) {
      for (const followUp of followUpsOf(cause, outcome.state, command.metadata)) {
        const result = await this.executor.execute(
          workspaceAggregate,
          followUp.data.workspaceId,
          followUp,
          {
            ...trace,
            causationId: cause.id,
          },
        );
        events.push(...result.events.map(({ id, type }) => ({ id, type })));
        if (comparePositions(result.position, position) > 0) position = result.position;
      }
    }
    return { position, events };
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
