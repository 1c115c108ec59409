import { Controller, Get, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';

@Controller()
class PingController {
  @Get('ping') ping() { return { ok: true }; }
}
@Module({ controllers: [PingController] })
class PingModule {}

it('nest boots', async () => {
  const mod = await Test.createTestingModule({ imports: [PingModule] }).compile();
  const app = mod.createNestApplication();
  await app.init();
  const res = await request(app.getHttpServer()).get('/ping');
  expect(res.body).toEqual({ ok: true });
  await app.close();
});
