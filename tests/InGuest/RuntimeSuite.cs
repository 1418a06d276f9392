// The core library and ILC's runtime contract: allocation is zeroed, statics are set up,
// virtual and interface calls dispatch, casts check, strings and arrays behave.
using Kernel.Diagnostics.Testing;
using Kernel.Runtime;

namespace Kernel.Tests.InGuest;

public static unsafe class RuntimeSuite
{
    public const string Name = "runtime";

    public static void Register(TestSuite suite)
    {
        suite.Add("new_object_is_zeroed", &NewObjectIsZeroed);
        suite.Add("new_array_is_zeroed_and_sized", &NewArrayIsZeroedAndSized);
        suite.Add("allocations_do_not_overlap", &AllocationsDoNotOverlap);
        suite.Add("static_reference_initialised", &StaticReferenceInitialised);
        suite.Add("static_constructor_runs_once", &StaticConstructorRunsOnce);
        suite.Add("virtual_dispatch", &VirtualDispatch);
        suite.Add("interface_dispatch", &InterfaceDispatch);
        suite.Add("type_checks", &TypeChecks);
        suite.Add("string_literals", &StringLiterals);
        suite.Add("reference_array_store_load", &ReferenceArrayStoreLoad);
        suite.Add("struct_copy_with_references", &StructCopyWithReferences);
    }

    class Shape { public long A, B, C; public virtual int Sides() => 0; }
    sealed class Triangle : Shape { public override int Sides() => 3; }
    sealed class Square : Shape, ICorners { public override int Sides() => 4; public int Corners() => 4; }
    interface ICorners { int Corners(); }
    sealed class Hexagon : ICorners { public int Corners() => 6; }

    static class Holder
    {
        public static readonly string Text = "preinitialised";
        public static readonly Shape Instance = new Triangle();
    }

    static int s_constructorRuns;
    static class Lazy
    {
        public static readonly ulong Value = Compute();
        static ulong Compute() { s_constructorRuns++; return Arch.X64.Cpu.ReadTsc() | 1; }
    }

    static void NewObjectIsZeroed()
    {
        var s = new Shape();
        KTest.ExpectEqual(0L, s.A + s.B + s.C, "fields of a new object");
    }

    static void NewArrayIsZeroedAndSized()
    {
        var a = new ulong[100];
        KTest.ExpectEqual(100L, a.Length, "array length");
        ulong sum = 0;
        for (int i = 0; i < a.Length; i++) sum |= a[i];
        KTest.ExpectEqual(0UL, sum, "array contents");
    }

    static void AllocationsDoNotOverlap()
    {
        var a = new byte[24];
        var b = new byte[24];
        for (int i = 0; i < 24; i++) { a[i] = 0xaa; b[i] = 0x55; }
        for (int i = 0; i < 24; i++) KTest.Assert(a[i] == 0xaa, "writing one array changed another");
    }

    static void StaticReferenceInitialised()
    {
        KTest.Assert((object)Holder.Text != null, "static string is null");
        KTest.ExpectEqual(14L, Holder.Text.Length, "static string length");
        KTest.ExpectEqual(3L, Holder.Instance.Sides(), "static object's virtual call");
    }

    static void StaticConstructorRunsOnce()
    {
        ulong first = Lazy.Value, second = Lazy.Value;
        KTest.ExpectEqual(first, second, "static field read twice");
        KTest.Assert(first != 0, "static constructor did not run");
        KTest.ExpectEqual(1L, s_constructorRuns, "static constructor runs");
    }

    static void VirtualDispatch()
    {
        Shape t = new Triangle(), s = new Square(), b = new Shape();
        KTest.ExpectEqual(3L, t.Sides(), "triangle");
        KTest.ExpectEqual(4L, s.Sides(), "square");
        KTest.ExpectEqual(0L, b.Sides(), "base");
    }

    static void InterfaceDispatch()
    {
        ICorners a = new Square(), b = new Hexagon();
        KTest.ExpectEqual(4L, a.Corners(), "square corners");
        KTest.ExpectEqual(6L, b.Corners(), "hexagon corners");
    }

    static void TypeChecks()
    {
        object t = new Triangle(), s = new Square(), h = new Hexagon();
        KTest.Assert(t is Shape, "triangle is a shape");
        KTest.Assert(t is Triangle, "triangle is a triangle");
        KTest.Assert(!(t is Square), "triangle is not a square");
        KTest.Assert(s is ICorners, "square has corners");
        KTest.Assert(!(t is ICorners), "triangle has no corners interface");
        KTest.Assert(h is ICorners && !(h is Shape), "hexagon");
        KTest.Assert((t as Square) == null, "as to a wrong type gives null");
    }

    static void StringLiterals()
    {
        string a = "kernel";
        KTest.ExpectEqual(6L, a.Length, "length");
        KTest.Assert(a[0] == 'k' && a[5] == 'l', "characters");
        KTest.Assert(a == "kernel" && a != "kernal", "equality");
    }

    static void ReferenceArrayStoreLoad()
    {
        var shapes = new Shape[3];
        shapes[0] = new Triangle();
        shapes[2] = new Square();
        KTest.Assert(shapes[1] == null, "unset element is null");
        KTest.ExpectEqual(7L, shapes[0].Sides() + shapes[2].Sides(), "elements keep their objects");
    }

    struct Pair { public string Left; public Shape Right; public long Tag; }

    static void StructCopyWithReferences()
    {
        var p = new Pair { Left = "left", Right = new Square(), Tag = 42 };
        Pair q = p;
        KTest.Assert(q.Left == "left" && q.Right.Sides() == 4 && q.Tag == 42, "copied struct");
        KTest.Assert(ObjectRef.AddressOf(q.Right) == ObjectRef.AddressOf(p.Right), "reference copied, not cloned");
    }
}
