import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { OrganizationCommand } from '#libs/domain';
import type { RequestContext } from '#libs/http';
import { RunOrganizationCommand, type CommandResult } from './run-organization-command.js';

type CommandType = OrganizationCommand['type'];
type DataOf<T extends CommandType> = Extract<OrganizationCommand, { type: T }>['data'];

/** What the controllers call: builds the command from the request and sends it on the bus. */
@Injectable()
export class OrganizationCommands {
  constructor(private readonly commandBus: CommandBus) {}

  async run<T extends CommandType>(
    organizationId: string,
    type: T,
    data: DataOf<T>,
    { actor, now, correlationId, idempotency }: RequestContext,
  ): Promise<CommandResult> {
    const command = { type, data, metadata: { actor, now } } as OrganizationCommand;
    const claim = idempotency && { key: idempotency.key, fingerprint: idempotency.fingerprint };
    const { replayed, ...result } = await this.commandBus.execute<
      RunOrganizationCommand,
      CommandResult & { replayed: boolean }
    >(new RunOrganizationCommand(organizationId, command, correlationId, claim));
    // The HTTP edge marks the answer as a replay and keeps a key's secret from it (R14).
    if (idempotency) idempotency.replayed = replayed;
    return result;
  }
}
